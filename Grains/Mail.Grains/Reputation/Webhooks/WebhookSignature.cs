using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Mail.Grains.Reputation.Webhooks;

/// <summary>
/// The signature of a webhook request: <c>sha256=</c> and the lower-case hex HMAC-SHA256 (RFC 2104) of
/// <c>{timestamp}.{body}</c> keyed with the endpoint's secret (its UTF-8 bytes). Signing the timestamp with the body lets
/// a receiver refuse replays older than it tolerates; the same scheme as Stripe's and Svix's.
/// </summary>
public static class WebhookSignature
{
    /// <summary>Header carrying the signature.</summary>
    public const string Header = "X-Mail-Signature";

    /// <summary>Header carrying the Unix time (seconds) the request was signed at.</summary>
    public const string TimestampHeader = "X-Mail-Timestamp";

    /// <summary>Prefix of a secret; what follows is 32 random bytes, base64url.</summary>
    public const string SecretPrefix = "whsec_";

    /// <summary>A new secret.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The header value for <paramref name="body"/> signed at <paramref name="timestamp"/> (Unix seconds).</summary>
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
