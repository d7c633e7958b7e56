namespace Mail.Frontends.Imap.Protocol;

/// <summary>RENAME existing new (RFC 9051 §6.3.6).</summary>
public sealed record RenameCommand(string Tag, string From, string To) : ImapCommand(Tag, "RENAME");
