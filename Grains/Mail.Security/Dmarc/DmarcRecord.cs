namespace Mail.Security.Dmarc;

/// <summary>A DMARC policy record (RFC 7489 §6.3): p, sp, adkim, aspf, pct; other tags (rua, ruf, fo, ri) are ignored here.</summary>
public sealed record DmarcRecord(DmarcPolicy Policy, DmarcPolicy? SubdomainPolicy, bool StrictDkim, bool StrictSpf, int Percent)
{
    /// <summary>Parses a TXT value; null when it is not a valid DMARC record (RFC 7489 §6.6.3: such records are discarded).</summary>
    public static DmarcRecord? Parse(string text)
    {
        var parts = text.Split(';').Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
        // v=DMARC1 must come first (RFC 7489 §6.4).
        if (parts.Count == 0 || !IsTag(parts[0], "v", out var version) || version != "DMARC1") return null;
        DmarcPolicy? policy = null, subdomain = null;
        var (strictDkim, strictSpf, percent, hasRua) = (false, false, 100, false);
        foreach (var part in parts.Skip(1))
        {
            var equals = part.IndexOf('=');
            if (equals <= 0) return null;
            var (name, value) = (part[..equals].Trim().ToLowerInvariant(), part[(equals + 1)..].Trim());
            switch (name)
            {
                case "p": policy = ParsePolicy(value); if (policy is null) return null; break;
                case "sp": subdomain = ParsePolicy(value); break;
                case "adkim": strictDkim = value.Equals("s", StringComparison.OrdinalIgnoreCase); break;
                case "aspf": strictSpf = value.Equals("s", StringComparison.OrdinalIgnoreCase); break;
                case "pct" when int.TryParse(value, out var n) && n is >= 0 and <= 100: percent = n; break;
                case "rua": hasRua = true; break;
            }
        }
        // RFC 7489 §6.6.3: no valid p= but a rua= means p=none.
        if (policy is null && !hasRua) return null;
        return new DmarcRecord(policy ?? DmarcPolicy.None, subdomain, strictDkim, strictSpf, percent);
    }

    private static DmarcPolicy? ParsePolicy(string value) => value.ToLowerInvariant() switch
    {
        "none" => DmarcPolicy.None,
        "quarantine" => DmarcPolicy.Quarantine,
        "reject" => DmarcPolicy.Reject,
        _ => null,
    };

    private static bool IsTag(string part, string name, out string value)
    {
        var equals = part.IndexOf('=');
        value = equals > 0 ? part[(equals + 1)..].Trim() : "";
        return equals > 0 && part[..equals].Trim().Equals(name, StringComparison.OrdinalIgnoreCase);
    }
}
