namespace Mail.Frontends.Imap.Protocol;

/// <summary>ENABLE capability... (RFC 5161, RFC 9051 §6.3.1).</summary>
public sealed record EnableCommand(string Tag, IReadOnlyList<string> Capabilities) : ImapCommand(Tag, "ENABLE");
