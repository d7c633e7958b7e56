using Mail.Security.Dns;

namespace Mail.Grains.Tests.Outbound;

/// <summary>Sender authentication's resolver against a real DNS server on loopback: negative caching (RFC 2308).</summary>
public sealed class AuthDnsTests : IDisposable
{
    private readonly TestDnsServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task ANameThatDoesNotExistIsAskedOnceWhileItsAnswerIsCached()
    {
        var dns = new AuthDns(new AuthDnsOptions { Servers = [_server.Endpoint], Timeout = TimeSpan.FromSeconds(2), NegativeCache = TimeSpan.FromSeconds(30) });

        Assert.Equal(AuthDnsStatus.NxDomain, (await dns.TxtAsync("_dmarc.missing.test", default)).Status);
        // One lookup is one query, or two when the resolver retried a slow answer; later lookups ask nothing.
        var asked = _server.Queries("_dmarc.missing.test", "TXT");
        for (var i = 0; i < 2; i++) Assert.Equal(AuthDnsStatus.NxDomain, (await dns.TxtAsync("_dmarc.missing.test", default)).Status);

        Assert.InRange(asked, 1, 2);
        Assert.Equal(asked, _server.Queries("_dmarc.missing.test", "TXT"));
    }

    [Fact]
    public async Task WithoutNegativeCachingEveryLookupAsksAndSeesARecordAddedSince()
    {
        var dns = new AuthDns(new AuthDnsOptions { Servers = [_server.Endpoint], Timeout = TimeSpan.FromSeconds(2) });

        Assert.Equal(AuthDnsStatus.NxDomain, (await dns.TxtAsync("late.test", default)).Status);
        var asked = _server.Queries("late.test", "TXT");
        _server.AddTxt("late.test", "v=spf1 -all");
        var answer = await dns.TxtAsync("late.test", default);

        Assert.Equal(AuthDnsStatus.Ok, answer.Status);
        Assert.Equal(["v=spf1 -all"], answer.Records);
        Assert.True(_server.Queries("late.test", "TXT") > asked, "the second lookup should have asked the server");
    }
}
