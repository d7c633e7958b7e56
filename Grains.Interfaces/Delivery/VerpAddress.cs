using System.Security.Cryptography;

namespace Mail.Grains.Interfaces.Delivery;

/// <summary>
/// The envelope return path of outbound mail, "bounces+&lt;token&gt;@&lt;domain&gt;" (VERP), so an asynchronous
/// bounce names the queued message it is about even when its content is mangled. The token is lower-case
/// base32hex (RFC 4648 §7; plain hex is a subset), 16 to 26 characters, random per queued message.
/// </summary>
public static class VerpAddress
{
    /// <summary>Local-part prefix; matched case-insensitively.</summary>
    public const string Prefix = "bounces+";

    /// <summary>Fewest token characters accepted (64 bits of hex).</summary>
    public const int MinTokenLength = 16;

    /// <summary>Most token characters accepted (128 bits of base32hex).</summary>
    public const int MaxTokenLength = 26;

    private const string Alphabet = "0123456789abcdefghijklmnopqrstuv";

    /// <summary>A new token: 128 random bits as 26 lower-case base32hex characters.</summary>
    public static string NewToken()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        Span<char> chars = stackalloc char[MaxTokenLength];
        int buffer = 0, bits = 0, n = 0;
        foreach (var b in bytes)
        {
            buffer = ((buffer << 8) | b) & 0xFFF; // at most 12 live bits: 4 left over plus a new byte
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                chars[n++] = Alphabet[(buffer >> bits) & 31];
            }
        }
        chars[n++] = Alphabet[(buffer << (5 - bits)) & 31];
        return new string(chars[..n]);
    }

    /// <summary>The return path for <paramref name="token"/> at <paramref name="domain"/>; throws on a malformed token or domain.</summary>
    public static string Create(string token, string domain)
    {
        if (!IsToken(token)) throw new ArgumentException("Token must be 16 to 26 lower-case base32hex characters.", nameof(token));
        if (!IsDomain(domain)) throw new ArgumentException("Domain must be an ASCII host name.", nameof(domain));
        return $"{Prefix}{token}@{domain.ToLowerInvariant()}";
    }

    /// <summary>
    /// Reads a return path made by <see cref="Create"/>. The prefix, token and domain compare case-insensitively
    /// (some relays change the case of local parts); token and domain come back lower-case. Anything else fails.
    /// </summary>
    public static bool TryParse(string? address, out string token, out string domain)
    {
        token = domain = "";
        if (address is null) return false;
        var at = address.IndexOf('@');
        if (at < 0 || at != address.LastIndexOf('@')) return false;
        var local = address[..at];
        var host = address[(at + 1)..];
        if (!local.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) return false;
        var candidate = local[Prefix.Length..].ToLowerInvariant();
        if (!IsToken(candidate) || !IsDomain(host)) return false;
        token = candidate;
        domain = host.ToLowerInvariant();
        return true;
    }

    private static bool IsToken(string? token) =>
        token is { Length: >= MinTokenLength and <= MaxTokenLength } && token.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'v');

    // RFC 5321 §4.1.2 Domain: dot-separated LDH labels of 1-63 characters; IDNs arrive as A-labels.
    private static bool IsDomain(string? domain)
    {
        if (domain is null || domain.Length is 0 or > 253) return false;
        foreach (var label in domain.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-') return false;
            if (!label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')) return false;
        }
        return true;
    }
}
