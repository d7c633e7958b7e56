namespace Mail.Frontends.Imap.Protocol;

/// <summary>CREATE (RFC 9051 §6.3.4) with the special-use attributes of its USE parameter (RFC 6154 §3, RFC 4466 create-param).</summary>
public sealed record CreateCommand(string Tag, string Mailbox, IReadOnlyList<string> SpecialUse) : ImapCommand(Tag, "CREATE");
