using Mail.Grains.Outbound.Dns;

namespace Mail.Grains.Tests.Outbound;

/// <summary>Per-MX TLS requirements: DANE (RFC 7672 §2.2) before MTA-STS (RFC 8461 §5) before opportunistic TLS.</summary>
public sealed class TlsPolicyResolverTests : IAsyncLifetime
{
    private static readonly byte[] Hash = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private MtaStsWorld _world = null!;

    public async Task InitializeAsync() => _world = await MtaStsWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private async Task<TlsRoute> RouteAsync(string domain)
    {
        using var mtaSts = _world.Resolver();
        var mx = await _world.MailDns.LookupMxAsync(domain, default);
        return await new TlsPolicyResolver(_world.MailDns, mtaSts, _world.Options).ResolveAsync(domain, mx, default);
    }

    [Fact]
    public async Task WithoutDaneOrMtaStsEveryHostIsOpportunistic()
    {
        _world.Dns.AddMx("plain.test", 10, "mx1.plain.test").AddMx("plain.test", 20, "mx2.plain.test");

        var route = await RouteAsync("plain.test");

        Assert.True(route.Deliverable);
        Assert.Equal(["mx1.plain.test", "mx2.plain.test"], route.Hosts.Select(h => h.Name));
        Assert.All(route.Hosts, h => Assert.Equal(TlsMode.Opportunistic, h.Tls.Mode));
    }

    [Fact]
    public async Task EnforceDropsMxHostsThePolicyDoesNotList()
    {
        _world.Dns.AddMx("sts.test", 10, "rogue.evil.test").AddMx("sts.test", 20, "mx1.sts.test");
        _world.Publish("sts.test", "v1");
        _world.Policies.SetPolicy("sts.test", "enforce", 86400, "*.sts.test");

        var route = await RouteAsync("sts.test");

        var host = Assert.Single(route.Hosts);
        Assert.Equal("mx1.sts.test", host.Name);
        Assert.Equal(TlsMode.RequirePkix, host.Tls.Mode);
    }

    [Fact]
    public async Task EnforceWithNoMatchingMxIsATemporaryFailure()
    {
        _world.Dns.AddMx("sts.test", 10, "rogue.evil.test");
        _world.Publish("sts.test", "v1");
        _world.Policies.SetPolicy("sts.test", "enforce", 86400, "mx.sts.test");

        var route = await RouteAsync("sts.test");

        Assert.False(route.Deliverable);
        Assert.StartsWith("MTA-STS: no MX", route.Failure);
    }

    [Fact]
    public async Task TestingPolicyDeliversOpportunisticallyEvenToUnlistedHosts()
    {
        _world.Dns.AddMx("sts.test", 10, "rogue.evil.test");
        _world.Publish("sts.test", "v1");
        _world.Policies.SetPolicy("sts.test", "testing", 86400, "mx.sts.test");

        var route = await RouteAsync("sts.test");

        var host = Assert.Single(route.Hosts);
        Assert.Equal(TlsMode.Opportunistic, host.Tls.Mode);
        Assert.Contains("testing", host.Tls.Reason);
    }

    [Fact]
    public async Task DaneBeatsMtaSts()
    {
        _world.Dns.AddMx("both.test", 10, "mx1.both.test").AddMx("both.test", 20, "mx2.both.test").MarkSecure("both.test");
        _world.Dns.AddTlsa("mx1.both.test", 25, 3, 1, 1, Hash).MarkTlsaSecure("mx1.both.test", 25).SecureHost("mx1.both.test");
        _world.Publish("both.test", "v1");
        // The policy lists only mx2: mx1 is still used, under DANE, which takes precedence (RFC 8461 §2).
        _world.Policies.SetPolicy("both.test", "enforce", 86400, "mx2.both.test");

        var route = await RouteAsync("both.test");

        Assert.Equal(["mx1.both.test", "mx2.both.test"], route.Hosts.Select(h => h.Name));
        Assert.Equal(TlsMode.Dane, route.Hosts[0].Tls.Mode);
        Assert.Equal(Hash, Assert.Single(route.Hosts[0].Tls.Tlsa).Data);
        Assert.Equal(TlsMode.RequirePkix, route.Hosts[1].Tls.Mode);
    }

    [Fact]
    public async Task AllHostsUnderDaneNeedNoMtaStsFetch()
    {
        _world.Dns.AddMx("dane.test", 10, "mx.dane.test").MarkSecure("dane.test");
        _world.Dns.AddTlsa("mx.dane.test", 25, 2, 1, 1, Hash).MarkTlsaSecure("mx.dane.test", 25).SecureHost("mx.dane.test");
        _world.Publish("dane.test", "v1");
        _world.Policies.SetPolicy("dane.test", "enforce", 86400, "mx.dane.test");

        var route = await RouteAsync("dane.test");

        Assert.Equal(TlsMode.Dane, Assert.Single(route.Hosts).Tls.Mode);
        Assert.Equal(0, _world.Policies.Fetches("dane.test"));
    }

    [Fact]
    public async Task TlsaWithoutAdBitIsIgnored()
    {
        _world.Dns.AddMx("half.test", 10, "mx.half.test").MarkSecure("half.test");
        _world.Dns.AddTlsa("mx.half.test", 25, 3, 1, 1, Hash).SecureHost("mx.half.test");

        var route = await RouteAsync("half.test");

        Assert.Equal(TlsMode.Opportunistic, Assert.Single(route.Hosts).Tls.Mode);
    }

    [Fact]
    public async Task TlsaBehindAnInsecureMxIsNotEvenLookedUp()
    {
        _world.Dns.AddMx("insecure.test", 10, "mx.insecure.test");
        _world.Dns.AddTlsa("mx.insecure.test", 25, 3, 1, 1, Hash).MarkTlsaSecure("mx.insecure.test", 25);

        var route = await RouteAsync("insecure.test");

        Assert.Equal(TlsMode.Opportunistic, Assert.Single(route.Hosts).Tls.Mode);
        Assert.Equal(0, _world.Dns.Queries("_25._tcp.mx.insecure.test", "TLSA"));
    }

    [Fact]
    public async Task TlsaOfAHostWhoseAddressIsInsecureIsNotLookedUp()
    {
        _world.Dns.AddMx("loose.test", 10, "mx.loose.test").MarkSecure("loose.test");
        _world.Dns.AddA("mx.loose.test", "127.0.0.1");
        _world.Dns.AddTlsa("mx.loose.test", 25, 3, 1, 1, Hash).MarkTlsaSecure("mx.loose.test", 25);

        var route = await RouteAsync("loose.test");

        Assert.Equal(TlsMode.Opportunistic, Assert.Single(route.Hosts).Tls.Mode);
        Assert.Equal(0, _world.Dns.Queries("_25._tcp.mx.loose.test", "TLSA"));
    }

    [Fact]
    public async Task UnusableTlsaUsagesAreIgnored()
    {
        _world.Dns.AddMx("pkix.test", 10, "mx.pkix.test").MarkSecure("pkix.test");
        _world.Dns.AddTlsa("mx.pkix.test", 25, 1, 1, 1, Hash).MarkTlsaSecure("mx.pkix.test", 25).SecureHost("mx.pkix.test");

        var route = await RouteAsync("pkix.test");

        Assert.Equal(TlsMode.Opportunistic, Assert.Single(route.Hosts).Tls.Mode);
    }

    [Fact]
    public async Task TlsaLookupFailureOnASecureMxRulesThatHostOut()
    {
        _world.Dns.AddMx("flaky.test", 10, "mx1.flaky.test").AddMx("flaky.test", 20, "mx2.flaky.test").MarkSecure("flaky.test");
        _world.Dns.AddTlsa("mx1.flaky.test", 25, 3, 1, 1, Hash).SetServFail("_25._tcp.mx1.flaky.test").SecureHost("mx1.flaky.test").SecureHost("mx2.flaky.test");

        var route = await RouteAsync("flaky.test");
        _world.Dns.SetServFail("_25._tcp.mx2.flaky.test");
        var none = await RouteAsync("flaky.test");

        Assert.Equal("mx2.flaky.test", Assert.Single(route.Hosts).Name);
        Assert.False(none.Deliverable);
        Assert.Contains("TLSA lookup failed", none.Failure);
    }

    [Fact]
    public async Task NullMxIsNotRouted()
    {
        _world.Dns.AddMx("nullmx.test", 0, ".");

        var route = await RouteAsync("nullmx.test");

        Assert.False(route.Deliverable);
        Assert.Contains("null MX", route.Failure);
    }
}
