namespace Mail.Frontends.Imap.Protocol;

/// <summary>AUTHENTICATE mechanism [initial-response] (RFC 9051 §6.2.2, SASL-IR RFC 4959).</summary>
public sealed record AuthenticateCommand(string Tag, string Mechanism, string? InitialResponse) : ImapCommand(Tag, "AUTHENTICATE");
