namespace Mail.Frontends.Imap.Protocol;

/// <summary>STATUS mailbox (items) (RFC 9051 §6.3.11).</summary>
public sealed record StatusCommand(string Tag, string Mailbox, IReadOnlyList<string> Items) : ImapCommand(Tag, "STATUS");
