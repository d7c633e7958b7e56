namespace Mail.Grains.Interfaces.Accounts;

/// <summary>The key convention of address and domain grains: trimmed and lower-cased (RFC 5321 §2.4 lets a host fold local parts; we do, as every mainstream provider does).</summary>
public static class AddressKey
{
    /// <summary>The grain key of an address, or null if it is not of the form local@domain.</summary>
    public static string? Normalize(string? address)
    {
        if (string.IsNullOrWhiteSpace(address)) return null;
        var trimmed = address.Trim().ToLowerInvariant();
        var at = trimmed.LastIndexOf('@');
        if (at <= 0 || at == trimmed.Length - 1 || trimmed.Length > 254) return null;
        foreach (var c in trimmed)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or ',' or ';' or '"' or '\\') return null;
        }
        return trimmed;
    }

    /// <summary>The domain part of a normalized address.</summary>
    public static string DomainOf(string normalizedAddress) => normalizedAddress[(normalizedAddress.LastIndexOf('@') + 1)..];
}
