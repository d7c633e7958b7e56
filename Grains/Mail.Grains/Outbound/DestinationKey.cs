namespace Mail.Grains.Outbound;

/// <summary>
/// The key of a destination grain: the site (the MX host set, or the smarthost) alone when mail leaves from the global
/// source address, or "site|source IP" when it leaves from a pool's IP, so connections and their limits are per
/// (site, source IP), the ready queues of the two-stage design.
/// </summary>
public static class DestinationKey
{
    private const char Separator = '|';

    /// <summary>The key of <paramref name="site"/> from <paramref name="sourceIp"/> (null: the global source address).</summary>
    public static string For(string site, string? sourceIp) => sourceIp is null ? site : site + Separator + sourceIp;

    /// <summary>The site and source IP of a key.</summary>
    public static (string Site, string? SourceIp) Parse(string key)
    {
        var at = key.LastIndexOf(Separator);
        return at < 0 ? (key, null) : (key[..at], key[(at + 1)..]);
    }
}
