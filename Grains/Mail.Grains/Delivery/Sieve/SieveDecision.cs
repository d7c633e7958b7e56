namespace Mail.Grains.Delivery.Sieve;

/// <summary>What a script decided for one recipient, with the message it read (parsed, and the raw octets of its header block).</summary>
public sealed record SieveDecision(SieveOutcome Outcome, MimeKit.MimeMessage Message, byte[] Header);
