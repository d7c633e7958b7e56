using MimeKit;

namespace Mail.Grains.Delivery.Sieve;

/// <summary>What a script tests: the envelope (RFC 5228 §5.4), the parsed message (header fields, body parts), its size and raw body.</summary>
public sealed record SieveMessage(string EnvelopeFrom, string EnvelopeTo, long Size, MimeMessage Message, string RawBody);
