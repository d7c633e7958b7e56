using Mail.Grains.Outbound.Dns;

namespace Mail.Grains.Tests.Outbound;

/// <summary>MTA-STS discovery over real DNS and HTTPS on loopback (RFC 8461 §3, §5.1): fetch, cache by id, failures.</summary>
public sealed class MtaStsResolverTests : IAsyncLifetime
{
    private MtaStsWorld _world = null!;

    public async Task InitializeAsync() => _world = await MtaStsWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task PolicyIsFetchedOverHttpsAndCachedWhileTheIdStays()
    {
        _world.Publish("sts.test", "v1");
        _world.Policies.SetPolicy("sts.test", "enforce", 86400, "mx.sts.test", "*.backup.sts.test");
        using var resolver = _world.Resolver();

        var first = await resolver.GetPolicyAsync("sts.test", default);
        var second = await resolver.GetPolicyAsync("STS.test.", default);

        Assert.NotNull(first);
        Assert.Equal(MtaStsMode.Enforce, first.Mode);
        Assert.Equal(["mx.sts.test", "*.backup.sts.test"], first.MxPatterns);
        Assert.Equal("v1", first.Id);
        Assert.Same(first, second);
        Assert.Equal(1, _world.Policies.Fetches("sts.test"));
    }

    [Fact]
    public async Task NewTxtIdTriggersARefetch()
    {
        _world.Publish("sts.test", "v1");
        _world.Policies.SetPolicy("sts.test", "testing", 86400, "mx.sts.test");
        using var resolver = _world.Resolver();
        await resolver.GetPolicyAsync("sts.test", default);

        _world.Publish("sts.test", "v2");
        _world.Policies.SetPolicy("sts.test", "enforce", 86400, "mx.sts.test");
        var updated = await resolver.GetPolicyAsync("sts.test", default);

        Assert.Equal((MtaStsMode.Enforce, "v2"), (updated?.Mode, updated?.Id));
        Assert.Equal(2, _world.Policies.Fetches("sts.test"));
    }

    [Fact]
    public async Task FetchFailureServesTheLastGoodPolicy()
    {
        _world.Publish("sts.test", "v1");
        _world.Policies.SetPolicy("sts.test", "enforce", 86400, "mx.sts.test");
        using var resolver = _world.Resolver();
        await resolver.GetPolicyAsync("sts.test", default);

        _world.Publish("sts.test", "v2");
        _world.Policies.SetResponse("sts.test", 500, "text/plain", "oops");
        var afterHttpError = await resolver.GetPolicyAsync("sts.test", default);
        _world.Dns.SetServFail("_mta-sts.sts.test");
        var afterDnsError = await resolver.GetPolicyAsync("sts.test", default);

        Assert.Equal((MtaStsMode.Enforce, "v1"), (afterHttpError?.Mode, afterHttpError?.Id));
        Assert.Equal("v1", afterDnsError?.Id);
    }

    [Fact]
    public async Task PolicyExpiresAfterMaxAgeWhenItCannotBeRefreshed()
    {
        var clock = new ManualClock();
        _world.Publish("sts.test", "v1");
        _world.Policies.SetPolicy("sts.test", "enforce", 3600, "mx.sts.test");
        using var resolver = _world.Resolver(clock);
        await resolver.GetPolicyAsync("sts.test", default);

        _world.Policies.SetResponse("sts.test", 404, "text/plain", "");
        clock.Advance(TimeSpan.FromHours(2));

        Assert.Null(await resolver.GetPolicyAsync("sts.test", default));
    }

    [Fact]
    public async Task DomainWithoutTxtHasNoPolicyAndIsRememberedForTheNegativeTtl()
    {
        var clock = new ManualClock();
        _world.Policies.SetPolicy("late.test", "enforce", 86400, "mx.late.test");
        _world.Dns.AddA("mta-sts.late.test", "127.0.0.1");
        using var resolver = _world.Resolver(clock);

        Assert.Null(await resolver.GetPolicyAsync("late.test", default));
        _world.Publish("late.test", "v1");
        Assert.Null(await resolver.GetPolicyAsync("late.test", default));
        clock.Advance(MtaStsResolver.DefaultNegativeTtl + TimeSpan.FromSeconds(1));
        Assert.Equal("v1", (await resolver.GetPolicyAsync("late.test", default))?.Id);
    }

    [Fact]
    public async Task RemovedTxtDoesNotEndALivePolicy()
    {
        _world.Publish("sts.test", "v1");
        _world.Policies.SetPolicy("sts.test", "enforce", 86400, "mx.sts.test");
        using var resolver = _world.Resolver();
        await resolver.GetPolicyAsync("sts.test", default);

        _world.Dns.Remove("_mta-sts.sts.test");

        Assert.Equal("v1", (await resolver.GetPolicyAsync("sts.test", default))?.Id);
    }

    [Fact]
    public async Task CertificateForAnotherNameIsRefused()
    {
        _world.Publish("sts.test", "v1");
        _world.Policies.SetPolicy("sts.test", "enforce", 86400, "mx.sts.test");
        _world.Policies.UseCertificate("mta-sts.sts.test", _world.Ca.Issue("mta-sts.other.test"));
        using var resolver = _world.Resolver();

        Assert.Null(await resolver.GetPolicyAsync("sts.test", default));
        Assert.Equal(0, _world.Policies.Fetches("sts.test"));
    }

    [Fact]
    public async Task CertificateFromAnUntrustedCaIsRefused()
    {
        using var stranger = new TestCertificates("Stranger CA");
        _world.Publish("sts.test", "v1");
        _world.Policies.SetPolicy("sts.test", "enforce", 86400, "mx.sts.test");
        _world.Policies.UseCertificate("mta-sts.sts.test", stranger.Issue("mta-sts.sts.test"));
        using var resolver = _world.Resolver();

        Assert.Null(await resolver.GetPolicyAsync("sts.test", default));
    }

    [Theory]
    [InlineData(301, "text/plain", 0)]
    [InlineData(200, "text/html", 0)]
    [InlineData(200, "text/plain", 70_000)]
    public async Task RedirectWrongTypeAndOversizedBodyAreNoPolicy(int status, string contentType, int padding)
    {
        // The policy itself is valid; an unknown field pads it past the 64 KiB cap when asked to.
        var body = "version: STSv1\nmode: enforce\nmx: a.test\nmax_age: 86400\n" + (padding > 0 ? $"x-padding: {new string('x', padding)}\n" : "");
        _world.Publish("sts.test", "v1");
        _world.Policies.SetResponse("sts.test", status, contentType, body);
        using var resolver = _world.Resolver();

        Assert.Null(await resolver.GetPolicyAsync("sts.test", default));
        Assert.Equal(1, _world.Policies.Fetches("sts.test"));
    }

    [Fact]
    public async Task ConcurrentLookupsShareOneFetch()
    {
        _world.Publish("sts.test", "v1");
        _world.Policies.SetPolicy("sts.test", "enforce", 86400, "mx.sts.test");
        using var resolver = _world.Resolver();

        var policies = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => resolver.GetPolicyAsync("sts.test", default)));

        Assert.All(policies, p => Assert.Equal("v1", p?.Id));
        Assert.Equal(1, _world.Policies.Fetches("sts.test"));
    }

    [Fact]
    public async Task CacheStaysWithinItsCapacity()
    {
        using var resolver = _world.Resolver(capacity: 10);

        for (var i = 0; i < 35; i++)
        {
            await resolver.GetPolicyAsync($"d{i}.test", default);
        }

        Assert.InRange(resolver.CachedDomains, 1, 10);
    }
}
