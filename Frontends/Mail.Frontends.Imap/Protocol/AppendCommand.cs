namespace Mail.Frontends.Imap.Protocol;

/// <summary>APPEND mailbox [(flags)] [date-time] literal (RFC 9051 §6.3.12); the message is a slice of the command buffer.</summary>
public sealed record AppendCommand(string Tag, string Mailbox, IReadOnlyList<string> Flags, DateTimeOffset? InternalDate, ReadOnlyMemory<byte> Message)
    : ImapCommand(Tag, "APPEND")
{
    /// <summary>The message came as a literal8 (RFC 3516 §4.4): it may hold binary parts that need a transfer encoding.</summary>
    public bool Binary { get; init; }
}
