using Mail.Grains.Hosting;
using System.Collections.Concurrent;
using Mail.Grains.Outbound.Bounces;
using Mail.Grains.Outbound.Dns;
using Microsoft.Extensions.Options;

namespace Mail.Grains.Outbound;

/// <summary>
/// Resolves a recipient domain to its route: the smarthost when one is configured, else the MX hosts
/// (RFC 5321 §5.1) filtered and annotated by the TLS policy (DANE, then MTA-STS). The site key is the sorted
/// MX host set, so every domain a provider hosts shares one destination and its connections.
/// </summary>
public sealed class OutboundRouter(IMailDns dns, TlsPolicyResolver tlsPolicy, IOptions<OutboundOptions> options, MailClock clock)
{
    /// <summary>The most domains whose routes are kept; past it the cache starts over (a bound, not an eviction policy).</summary>
    private const int MaxCachedRoutes = 10_000;

    private readonly OutboundOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, (OutboundRoute Route, DateTimeOffset Until)> _cache = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The route of <paramref name="domain"/>: reused for <see cref="OutboundOptions.RouteCacheSeconds"/> once resolved,
    /// so a burst to one domain costs one set of lookups (MX, addresses, TLSA, MTA-STS) instead of one per message.
    /// </summary>
    public async Task<OutboundRoute> RouteAsync(string domain, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(domain, out var cached) && cached.Until > now) return cached.Route;
        var route = await ResolveAsync(domain, ct);
        if (route.Failure is null && _options.RouteCacheSeconds > 0)
        {
            if (_cache.Count >= MaxCachedRoutes) _cache.Clear();
            _cache[domain] = (route, now + TimeSpan.FromSeconds(_options.RouteCacheSeconds));
        }
        return route;
    }

    private async Task<OutboundRoute> ResolveAsync(string domain, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(_options.RelayHost))
        {
            var tls = _options.RelayRequireTls
                ? new TlsRequirement(TlsMode.RequirePkix, [], "smarthost")
                : TlsRequirement.None;
            return new OutboundRoute($"relay:{_options.RelayHost}:{_options.RelayPort}",
                [new RouteHost(_options.RelayHost, _options.RelayPort, tls)], Relay: true, Failure: null);
        }

        var mx = await dns.LookupMxAsync(domain, ct);
        switch (mx)
        {
            case { NullMx: true }:
                // RFC 7505 §4.2: the domain declares it accepts no mail.
                return OutboundRoute.Failed(domain, new RouteFailure(true, DeliveryStatusCodes.NullMx, $"Domain {domain} does not accept mail (null MX)"));
            case { Status: DnsStatus.NxDomain }:
                return OutboundRoute.Failed(domain, new RouteFailure(true, DeliveryStatusCodes.NoSuchDomain, $"Host or domain name not found: {domain} (NXDOMAIN)"));
            case { Status: DnsStatus.TempFail }:
                return OutboundRoute.Failed(domain, new RouteFailure(false, "4.4.3", $"Host or domain name lookup failed for {domain}: {mx.Error ?? "temporary DNS failure"}"));
            case { Hosts.Count: 0 }:
                return OutboundRoute.Failed(domain, new RouteFailure(true, "5.1.2", $"No mail host for {domain}: no MX and no address records"));
        }

        var policy = await tlsPolicy.ResolveAsync(domain, mx, ct);
        if (policy.Failure is { } failure)
        {
            return OutboundRoute.Failed(domain, new RouteFailure(false, DeliveryStatusCodes.TlsRequired, failure));
        }
        var hosts = policy.Hosts.Select(h => new RouteHost(h.Name, _options.RemotePort, h.Tls)).ToArray();
        var site = "mx:" + string.Join(',', mx.Hosts.Select(h => h.Name.TrimEnd('.').ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal));
        return new OutboundRoute(site, hosts, Relay: false, Failure: null);
    }
}
