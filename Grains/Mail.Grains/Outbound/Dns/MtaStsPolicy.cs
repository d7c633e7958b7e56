namespace Mail.Grains.Outbound.Dns;

/// <summary>A domain's MTA-STS policy (RFC 8461 §3.2) with the id of the TXT record it was fetched under (§3.1).</summary>
public sealed record MtaStsPolicy(MtaStsMode Mode, IReadOnlyList<string> MxPatterns, TimeSpan MaxAge, string Id)
{
    /// <summary>
    /// RFC 8461 §4.1: an MX host matches a pattern exactly, or, for "*.example.com", when the wildcard stands for
    /// exactly one whole left-most label ("mx.example.com", not "example.com" or "a.b.example.com").
    /// </summary>
    public bool Matches(string mxHost)
    {
        var host = mxHost.TrimEnd('.').ToLowerInvariant();
        foreach (var pattern in MxPatterns)
        {
            if (pattern.StartsWith("*.", StringComparison.Ordinal))
            {
                var firstDot = host.IndexOf('.');
                if (firstDot > 0 && host[(firstDot + 1)..] == pattern[2..])
                {
                    return true;
                }
            }
            else if (host == pattern)
            {
                return true;
            }
        }
        return false;
    }
}
