namespace Mail.Grains.Interfaces.Bulk;

/// <summary>
/// The mailto unsubscribe address of a marketing message's List-Unsubscribe field (RFC 2369 §3.2),
/// "unsubscribe+&lt;token&gt;@&lt;sending domain&gt;": mail to it at our MX unsubscribes the recipient the token names. The
/// token is lower-case base32hex (any case accepted: relays may fold local parts).
/// </summary>
public static class UnsubscribeAddress
{
    /// <summary>Local-part prefix; matched case-insensitively.</summary>
    public const string Prefix = "unsubscribe+";

    /// <summary>Longest address made (RFC 5321 §4.5.3.1.3 path limit less the brackets); a longer one is not offered.</summary>
    public const int MaxLength = 254;

    /// <summary>The address for <paramref name="token"/> at <paramref name="domain"/>, or null when it would be too long to use.</summary>
    public static string? Create(string token, string domain)
    {
        var address = $"{Prefix}{token}@{domain}";
        return address.Length <= MaxLength ? address : null;
    }

    /// <summary>The token of an unsubscribe address (lower-cased), or false when the address is not one.</summary>
    public static bool TryParse(string? address, out string token)
    {
        token = "";
        if (address is null) return false;
        var at = address.LastIndexOf('@');
        if (at <= Prefix.Length || !address.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) return false;
        var candidate = address[Prefix.Length..at].ToLowerInvariant();
        if (!candidate.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'v')) return false;
        token = candidate;
        return true;
    }
}
