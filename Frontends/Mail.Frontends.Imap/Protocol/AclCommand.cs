namespace Mail.Frontends.Imap.Protocol;

/// <summary>
/// An ACL command (RFC 4314 §3): GETACL and MYRIGHTS name a mailbox; LISTRIGHTS and DELETEACL a mailbox and an
/// identifier; SETACL a mailbox, an identifier and a rights modification ("+" or "-" first to add or remove).
/// </summary>
public sealed record AclCommand(string Tag, string Name, string Mailbox, string? Identifier, string? Rights) : ImapCommand(Tag, Name);
