namespace Mail.Frontends.Imap.Protocol;

/// <summary>
/// APPEND mailbox 1*(SP append-message) (RFC 9051 §6.3.12; several messages are MULTIAPPEND, RFC 3502 §6.3.11): each message
/// a literal, or a CATENATE list of parts (RFC 4469 §5).
/// </summary>
public sealed record AppendCommand(string Tag, string Mailbox, IReadOnlyList<AppendMessage> Messages) : ImapCommand(Tag, "APPEND");

/// <summary>One message of an APPEND: [(flags)] [date-time] then a literal (a slice of the command buffer) or CATENATE parts.</summary>
public sealed record AppendMessage(IReadOnlyList<string> Flags, DateTimeOffset? InternalDate, ReadOnlyMemory<byte> Message)
{
    /// <summary>The message came as a literal8 (RFC 3516 §4.4): it may hold binary parts that need a transfer encoding.</summary>
    public bool Binary { get; init; }

    /// <summary>The message came as UTF8 (literal8) (RFC 6855 §4): its header may hold UTF-8; it is stored as sent.</summary>
    public bool Utf8 { get; init; }

    /// <summary>The CATENATE parts (RFC 4469 §5) the message is made of, in order; null for a literal message.</summary>
    public IReadOnlyList<CatenatePart>? Catenate { get; init; }
}

/// <summary>A CATENATE part (RFC 4469 §5): TEXT with its literal, or URL with an IMAP URL (RFC 5092) of a message or part.</summary>
public sealed record CatenatePart(ReadOnlyMemory<byte> Text, string? Url)
{
    /// <summary>The part is a URL, not text.</summary>
    public bool IsUrl => Url is not null;
}
