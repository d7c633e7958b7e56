namespace Mail.Grains.Outbound.Dns;

/// <summary>Turns a domain's MX answer into the ordered host list (RFC 5321 §5.1, RFC 7505).</summary>
internal static class MxResolution
{
    public static async Task<MxLookup> ResolveAsync(MailDns dns, string domain, CancellationToken ct)
    {
        domain = domain.TrimEnd('.').ToLowerInvariant();
        var mx = await dns.QueryMxAsync(domain, ct);
        switch (mx.Status)
        {
            case DnsStatus.Ok:
                return FromRecords(mx);
            case DnsStatus.NoData:
                return await ImplicitMxAsync(dns, domain, mx.Authenticated, ct);
            default:
                return new MxLookup(mx.Status, false, [], false, mx.Error);
        }
    }

    private static MxLookup FromRecords(DnsAnswer<MxHost> mx)
    {
        // RFC 7505 §3: a null MX is the only MX of its domain; "." beside real hosts is just unusable.
        if (mx.Records.Count == 1 && mx.Records[0].Name == ".")
        {
            return new MxLookup(DnsStatus.Ok, true, [], mx.Authenticated, "null MX (RFC 7505): the domain accepts no mail");
        }
        var hosts = mx.Records
            .Where(h => h.Name != ".")
            .DistinctBy(h => h.Name)
            .GroupBy(h => h.Preference)
            .OrderBy(g => g.Key)
            // RFC 5321 §5.1: hosts of equal preference are tried in random order to spread the load.
            .SelectMany(g => g.OrderBy(_ => Random.Shared.Next()))
            .ToList();
        return new MxLookup(DnsStatus.Ok, false, hosts, mx.Authenticated);
    }

    /// <summary>
    /// RFC 5321 §5.1: with no MX, the domain itself is the single host (preference 0), but only if it has an
    /// address: a domain that exists with neither MX nor A/AAAA cannot receive mail, so the result is NoData,
    /// which the caller bounces (5.1.2). A temporary failure of the address lookup stays temporary.
    /// </summary>
    private static async Task<MxLookup> ImplicitMxAsync(MailDns dns, string domain, bool mxAuthenticated, CancellationToken ct)
    {
        var addresses = await dns.LookupAddressesAsync(domain, ct);
        return addresses.Status switch
        {
            // The MX answer's AD covers the authenticated denial of MX; DANE then looks for TLSA at the domain itself (RFC 7672 §2.2.2).
            DnsStatus.Ok => new MxLookup(DnsStatus.Ok, false, [new MxHost(domain, 0)], mxAuthenticated),
            DnsStatus.TempFail => new MxLookup(DnsStatus.TempFail, false, [], false, addresses.Error),
            _ => new MxLookup(DnsStatus.NoData, false, [], mxAuthenticated, $"{domain} has no MX and no A/AAAA (RFC 5321 §5.1)"),
        };
    }
}
