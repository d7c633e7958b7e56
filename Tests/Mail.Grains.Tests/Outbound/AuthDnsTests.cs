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

        for (var i = 0; i < 3; i++) Assert.Equal(AuthDnsStatus.NxDomain, (await dns.TxtAsync("_dmarc.missing.test", default)).Status);

        Assert.Equal(1, _server.Queries("_dmarc.missing.test", "TXT"));
    }

    [Fact]
    public async Task WithoutNegativeCachingEveryLookupAsksAndSeesARecordAddedSince()
    {
        var dns = new AuthDns(new AuthDnsOptions { Servers = [_server.Endpoint], Timeout = TimeSpan.FromSeconds(2) });

        Assert.Equal(AuthDnsStatus.NxDomain, (await dns.TxtAsync("late.test", default)).Status);
        _server.AddTxt("late.test", "v=spf1 -all");
        var answer = await dns.TxtAsync("late.test", default);

        Assert.Equal(AuthDnsStatus.Ok, answer.Status);
        Assert.Equal(["v=spf1 -all"], answer.Records);
        Assert.Equal(2, _server.Queries("late.test", "TXT"));
    }
}
