namespace Mail.Frontends.Imap.Protocol;

/// <summary>COMPRESS mechanism (RFC 4978 §3).</summary>
public sealed record CompressCommand(string Tag, string Mechanism) : ImapCommand(Tag, "COMPRESS");
