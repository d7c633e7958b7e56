namespace Mail.Grains.Accounts;

/// <summary>Validation of host names as RFC 1035 §2.3.1 and RFC 5321 §4.1.2 allow them in mail domains.</summary>
public static class DomainName
{
    /// <summary>The lower-case domain, or null if it is not a valid host name.</summary>
    public static string? Normalize(string? domain)
    {
        if (string.IsNullOrWhiteSpace(domain)) return null;
        var name = domain.Trim().TrimEnd('.').ToLowerInvariant();
        if (name.Length is 0 or > 253) return null;
        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-') return null;
            if (!label.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-')) return null;
        }
        return name;
    }
}
