using System.Net;
using System.Net.Sockets;
using Mail.Security.Dns;

namespace Mail.Security.Spf;

/// <summary>
/// check_host() of RFC 7208 §4: record selection (§4.5), mechanisms all, include, a, mx, ptr, ip4, ip6, exists
/// (§5), modifiers redirect and exp (§6), macros (§7), the limit of 10 DNS-querying terms and of 2 void lookups
/// (§4.6.4). One instance per check: it carries the counters the limits apply to across include and redirect.
/// </summary>
public sealed class SpfEvaluator
{
    /// <summary>Terms that cause DNS queries, per check (RFC 7208 §4.6.4).</summary>
    public const int MaxDnsMechanisms = 10;

    /// <summary>Lookups answering NXDOMAIN or no data, per check (RFC 7208 §4.6.4 suggests 2).</summary>
    public const int MaxVoidLookups = 2;

    private readonly IAuthDns _dns;
    private readonly SpfRequest _request;
    private readonly CancellationToken _ct;
    private int _dnsTerms;
    private int _voids;

    private SpfEvaluator(IAuthDns dns, SpfRequest request, CancellationToken ct)
    {
        _dns = dns;
        _request = request with { Client = SpfMacro.Normalize(request.Client) };
        _ct = ct;
    }

    /// <summary>Runs check_host(ip, domain, sender) (RFC 7208 §4.1).</summary>
    public static async Task<SpfResult> CheckHostAsync(IAuthDns dns, SpfRequest request, string domain, CancellationToken ct) =>
        await new SpfEvaluator(dns, request, ct).CheckAsync(domain.TrimEnd('.'));

    private async Task<SpfResult> CheckAsync(string domain)
    {
        if (!IsDomain(domain)) return SpfResult.None;
        var answer = await _dns.TxtAsync(domain, _ct);
        if (answer.Status == AuthDnsStatus.TempFail) return SpfResult.TempError;
        var records = answer.Records.Where(IsSpfRecord).ToList();
        if (records.Count == 0) return SpfResult.None;
        if (records.Count > 1) return SpfResult.PermError;
        var record = SpfRecord.Parse(records[0]);
        if (record is null) return SpfResult.PermError;

        foreach (var term in record.Mechanisms)
        {
            var (hit, error) = await MatchAsync(term, domain);
            if (error is { } stop) return stop;
            if (hit) return Qualify(term.Qualifier);
        }
        if (record.Redirect is { } redirect)
        {
            if (++_dnsTerms > MaxDnsMechanisms) return SpfResult.PermError;
            var target = SpfMacro.Expand(redirect, _request, domain);
            if (target is null) return SpfResult.PermError;
            var result = await CheckAsync(Truncate(target));
            // RFC 7208 §6.1: a redirect to a domain without a record is a permerror.
            return result == SpfResult.None ? SpfResult.PermError : result;
        }
        return SpfResult.Neutral;
    }

    /// <summary>Evaluates one mechanism: whether it matched, or the result that ends the whole check (errors).</summary>
    private async Task<(bool Hit, SpfResult? Error)> MatchAsync(SpfTerm term, string domain)
    {
        if (term.Name is "include" or "a" or "mx" or "ptr" or "exists" && ++_dnsTerms > MaxDnsMechanisms) return (false, SpfResult.PermError);
        var target = domain;
        if (term.Value is { } spec)
        {
            var expanded = SpfMacro.Expand(spec, _request, domain);
            if (string.IsNullOrEmpty(expanded)) return (false, SpfResult.PermError);
            target = Truncate(expanded);
        }
        switch (term.Name)
        {
            case "all":
                return (true, null);
            case "ip4":
            case "ip6":
                return (term.Network is { } network && SpfNetwork.Contains(network, term.Name == "ip6" ? term.Ip6Prefix : term.Ip4Prefix, _request.Client), null);
            case "include":
                if (term.Value is null) return (false, SpfResult.PermError);
                // RFC 7208 §5.2: only pass matches; an error inside is the error of the whole check.
                return await CheckAsync(target) switch
                {
                    SpfResult.Pass => (true, null),
                    SpfResult.TempError => (false, SpfResult.TempError),
                    SpfResult.PermError or SpfResult.None => (false, SpfResult.PermError),
                    _ => (false, null),
                };
            case "a":
                return await AddressMatchAsync(target, term, countVoid: true);
            case "mx":
            {
                var mx = await _dns.MxAsync(target, _ct);
                if (mx.Status == AuthDnsStatus.TempFail) return (false, SpfResult.TempError);
                if (mx.Status != AuthDnsStatus.Ok && ++_voids > MaxVoidLookups) return (false, SpfResult.PermError);
                // RFC 7208 §4.6.4: more than 10 MX names is a permerror.
                if (mx.Records.Count > 10) return (false, SpfResult.PermError);
                foreach (var host in mx.Records)
                {
                    var match = await AddressMatchAsync(host, term, countVoid: false);
                    if (match.Hit || match.Error is not null) return match;
                }
                return (false, null);
            }
            case "exists":
            {
                if (term.Value is null) return (false, SpfResult.PermError);
                // RFC 7208 §5.7: always an A query, whatever the client's family.
                var a = await _dns.AddressesAsync(target, ipv6: false, _ct);
                if (a.Status == AuthDnsStatus.TempFail) return (false, SpfResult.TempError);
                if (a.Status != AuthDnsStatus.Ok && ++_voids > MaxVoidLookups) return (false, SpfResult.PermError);
                return (a.Status == AuthDnsStatus.Ok, null);
            }
            case "ptr":
                // RFC 7208 §5.5: "SHOULD NOT be used"; it costs reverse lookups per check, so here it never matches.
                return (false, null);
            default:
                return (false, SpfResult.PermError);
        }
    }

    private async Task<(bool Hit, SpfResult? Error)> AddressMatchAsync(string host, SpfTerm term, bool countVoid)
    {
        var ipv6 = _request.Client.AddressFamily == AddressFamily.InterNetworkV6;
        var answer = await _dns.AddressesAsync(host, ipv6, _ct);
        if (answer.Status == AuthDnsStatus.TempFail) return (false, SpfResult.TempError);
        if (answer.Status != AuthDnsStatus.Ok && countVoid && ++_voids > MaxVoidLookups) return (false, SpfResult.PermError);
        var prefix = ipv6 ? term.Ip6Prefix : term.Ip4Prefix;
        return (answer.Records.Any(address => SpfNetwork.Contains(address, prefix, _request.Client)), null);
    }

    private static SpfResult Qualify(char qualifier) => qualifier switch
    {
        '-' => SpfResult.Fail,
        '~' => SpfResult.SoftFail,
        '?' => SpfResult.Neutral,
        _ => SpfResult.Pass,
    };

    private static bool IsSpfRecord(string text) =>
        text.StartsWith("v=spf1", StringComparison.OrdinalIgnoreCase) && (text.Length == 6 || text[6] == ' ');

    /// <summary>RFC 7208 §4.3: a domain with an empty label, a label over 63 octets, or a single label is not checked.</summary>
    private static bool IsDomain(string domain) =>
        domain.Length is > 0 and <= 253 && domain.Contains('.') && domain.Split('.').All(l => l.Length is > 0 and <= 63);

    /// <summary>RFC 7208 §7.3: an expansion over 253 characters loses labels from the left.</summary>
    private static string Truncate(string name)
    {
        name = name.TrimEnd('.');
        while (name.Length > 253 && name.IndexOf('.') is var dot and >= 0) name = name[(dot + 1)..];
        return name;
    }
}
