namespace Mail.Frontends.Imap.Protocol;

/// <summary>APPEND mailbox [(flags)] [date-time] literal (RFC 9051 §6.3.12); the message is a slice of the command buffer.</summary>
public sealed record AppendCommand(string Tag, string Mailbox, IReadOnlyList<string> Flags, DateTimeOffset? InternalDate, ReadOnlyMemory<byte> Message)
    : ImapCommand(Tag, "APPEND");
