using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mail.Grains.Outbound.Dns;

/// <summary>
/// Decides, per MX host of a recipient domain, which TLS the connection needs: DANE where DNSSEC proves TLSA
/// records (RFC 7672), else the domain's MTA-STS policy (RFC 8461), else opportunistic STARTTLS.
/// </summary>
public sealed class TlsPolicyResolver(IMailDns dns, MtaStsResolver mtaSts, OutboundOptions options, ILogger<TlsPolicyResolver>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<TlsPolicyResolver>.Instance;

    /// <summary>The hosts of <paramref name="mx"/> that may be used, in order, with their requirement.</summary>
    public async Task<TlsRoute> ResolveAsync(string domain, MxLookup mx, CancellationToken ct)
    {
        if (mx.Status != DnsStatus.Ok || mx.NullMx || mx.Hosts.Count == 0)
        {
            return TlsRoute.Deferred(mx.Error ?? $"MX lookup of {domain}: {mx.Status}");
        }

        var dane = await DaneAsync(mx, ct);
        var problems = dane.Where(d => d.Problem is not null).Select(d => d.Problem!).ToList();
        var needsPolicy = dane.Any(d => d is { Requirement: null, Problem: null });
        var policy = needsPolicy ? await mtaSts.GetPolicyAsync(domain, ct) : null;

        var hosts = new List<RoutedHost>();
        var unlisted = 0;
        for (var i = 0; i < mx.Hosts.Count; i++)
        {
            var host = mx.Hosts[i];
            if (dane[i].Problem is not null)
            {
                continue;
            }
            var requirement = dane[i].Requirement ?? PolicyRequirement(domain, host, policy);
            if (requirement is null)
            {
                unlisted++;
                problems.Add($"{host.Name}: not an MX of the MTA-STS policy of {domain}");
                continue;
            }
            hosts.Add(new RoutedHost(host.Name, host.Preference, requirement));
        }

        if (hosts.Count == 0)
        {
            // RFC 8461 §5.1: enforce with no matching MX is a temporary failure, so a fixed policy or MX gets the mail through.
            return TlsRoute.Deferred(unlisted == mx.Hosts.Count
                ? $"MTA-STS: no MX of {domain} matches policy {policy?.Id}"
                : string.Join("; ", problems));
        }
        foreach (var problem in problems)
        {
            _logger.LogInformation("TLS policy for {Domain} skips {Problem}", domain, problem);
        }
        return new TlsRoute(hosts, null);
    }

    /// <summary>
    /// Per host: a DANE requirement, a problem that rules the host out, or neither (no DANE: policy decides).
    /// RFC 7672 §2.2: TLSA records count only behind a DNSSEC-validated MX answer, and only when validated themselves;
    /// §2.2.2: only for a host whose address records are validated too (an insecure A/AAAA answer could point
    /// anywhere, so its TLSA records prove nothing and are not even looked up).
    /// </summary>
    private async Task<(TlsRequirement? Requirement, string? Problem)[]> DaneAsync(MxLookup mx, CancellationToken ct)
    {
        if (!mx.Authenticated)
        {
            return new (TlsRequirement?, string?)[mx.Hosts.Count];
        }
        return await Task.WhenAll(mx.Hosts.Select(h => HostDaneAsync(h.Name, ct)));
    }

    private async Task<(TlsRequirement? Requirement, string? Problem)> HostDaneAsync(string name, CancellationToken ct)
    {
        var addresses = await dns.LookupAddressesAsync(name, ct);
        if (addresses is not { Status: DnsStatus.Ok, Authenticated: true })
        {
            return (null, null);
        }
        var tlsa = await dns.LookupTlsaAsync(name, options.RemotePort, ct);
        if (tlsa.Status == DnsStatus.TempFail)
        {
            // §2.2: a secure MX whose TLSA cannot be looked up now may have DANE; sending without it could
            // be exactly the downgrade DANE prevents, so that host is unusable for now.
            return (null, $"{name}: TLSA lookup failed ({tlsa.Error})");
        }
        var usable = tlsa is { Status: DnsStatus.Ok, Authenticated: true }
            ? tlsa.Records.Where(r => r.IsUsableForSmtp).ToList()
            : [];
        return usable.Count > 0
            ? (new TlsRequirement(TlsMode.Dane, usable, $"DANE: {usable.Count} usable TLSA record(s) for {name}"), null)
            : (null, null);
    }

    /// <summary>The MTA-STS requirement of a host without DANE, or null when enforce mode rules the host out (RFC 8461 §4.1, §5).</summary>
    private TlsRequirement? PolicyRequirement(string domain, MxHost host, MtaStsPolicy? policy)
    {
        switch (policy?.Mode)
        {
            case MtaStsMode.Enforce:
                return policy.Matches(host.Name) ? new TlsRequirement(TlsMode.RequirePkix, [], $"MTA-STS enforce, policy {policy.Id}") : null;
            case MtaStsMode.Testing:
                // §5: testing reports would-be failures (TLSRPT) but delivers as without a policy.
                if (!policy.Matches(host.Name))
                {
                    _logger.LogInformation("MTA-STS testing policy {Id} of {Domain} does not list MX {Host}", policy.Id, domain, host.Name);
                }
                return new TlsRequirement(TlsMode.Opportunistic, [], $"MTA-STS testing, policy {policy.Id}");
            default:
                return TlsRequirement.None;
        }
    }
}
