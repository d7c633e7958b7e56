namespace Mail.Frontends.Imap.Protocol;

/// <summary>LOGIN userid password (RFC 9051 §6.2.3).</summary>
public sealed record LoginCommand(string Tag, string User, string Password) : ImapCommand(Tag, "LOGIN");
