using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Mail.Grains.Outbound;
using Mail.Grains.Outbound.Dns;

namespace Mail.Grains.Tests.Outbound;

/// <summary>MailDns against a real DNS server on loopback: MX routing (RFC 5321 §5.1, RFC 7505), RCODE mapping, TXT, TLSA, AD.</summary>
public sealed class MailDnsTests : IDisposable
{
    private readonly TestDnsServer _server = new();

    public void Dispose() => _server.Dispose();

    internal static MailDns Resolver(string endpoint, int timeoutSeconds = 2) =>
        new(new OutboundOptions { DnsServers = [endpoint], DnsTimeoutSeconds = timeoutSeconds });

    [Fact]
    public async Task MxHostsComeInPreferenceOrder()
    {
        _server.AddMx("order.test", 20, "mx2.order.test").AddMx("order.test", 10, "MX1.order.test.").AddMx("order.test", 30, "mx3.order.test");

        var mx = await Resolver(_server.Endpoint).LookupMxAsync("order.test", default);

        Assert.Equal(DnsStatus.Ok, mx.Status);
        Assert.False(mx.NullMx);
        Assert.Equal(["mx1.order.test", "mx2.order.test", "mx3.order.test"], mx.Hosts.Select(h => h.Name));
        Assert.Equal([10, 20, 30], mx.Hosts.Select(h => h.Preference));
        Assert.False(mx.Authenticated);
    }

    [Fact]
    public async Task EqualPreferenceHostsAreShuffled()
    {
        _server.Ttl = 300;
        _server.AddMx("shuffle.test", 10, "a.shuffle.test").AddMx("shuffle.test", 10, "b.shuffle.test").AddMx("shuffle.test", 5, "first.shuffle.test");
        var dns = Resolver(_server.Endpoint);

        var orders = new HashSet<string>();
        for (var i = 0; i < 64; i++)
        {
            var mx = await dns.LookupMxAsync("shuffle.test", default);
            Assert.Equal("first.shuffle.test", mx.Hosts[0].Name);
            orders.Add(string.Join(",", mx.Hosts.Skip(1).Select(h => h.Name)));
        }

        // Both orders of the equal pair appear; 64 fair coin flips all landing the same way is a 2^-63 chance.
        Assert.Equal(["a.shuffle.test,b.shuffle.test", "b.shuffle.test,a.shuffle.test"], orders.Order());
        // The TTL cache answered all but the first lookup: shuffling happens per lookup, not per query.
        Assert.Equal(1, _server.Queries("shuffle.test", "MX"));
    }

    [Fact]
    public async Task DomainWithoutMxButWithAddressIsItsOwnImplicitMx()
    {
        _server.AddA("implicit.test", "192.0.2.7");

        var mx = await Resolver(_server.Endpoint).LookupMxAsync("implicit.test", default);

        Assert.Equal(DnsStatus.Ok, mx.Status);
        Assert.Equal([new MxHost("implicit.test", 0)], mx.Hosts);
    }

    [Fact]
    public async Task DomainWithNeitherMxNorAddressIsNoData()
    {
        _server.AddTxt("nomail.test", "v=spf1 -all");

        var mx = await Resolver(_server.Endpoint).LookupMxAsync("nomail.test", default);

        Assert.Equal(DnsStatus.NoData, mx.Status);
        Assert.Empty(mx.Hosts);
        Assert.Contains("no MX and no A/AAAA", mx.Error);
    }

    [Fact]
    public async Task NullMxIsReportedAsNullMx()
    {
        _server.AddMx("nullmx.test", 0, ".").AddA("nullmx.test", "192.0.2.1");

        var mx = await Resolver(_server.Endpoint).LookupMxAsync("nullmx.test", default);

        Assert.Equal(DnsStatus.Ok, mx.Status);
        Assert.True(mx.NullMx);
        Assert.Empty(mx.Hosts);
    }

    [Fact]
    public async Task NonexistentDomainIsNxDomain()
    {
        var dns = Resolver(_server.Endpoint);

        Assert.Equal(DnsStatus.NxDomain, (await dns.LookupMxAsync("missing.test", default)).Status);
        Assert.Equal(DnsStatus.NxDomain, (await dns.LookupAddressesAsync("missing.test", default)).Status);
        Assert.Equal(DnsStatus.NxDomain, (await dns.LookupTxtAsync("missing.test", default)).Status);
    }

    [Fact]
    public async Task ServFailIsTemporaryFailure()
    {
        _server.AddMx("broken.test", 10, "mx.broken.test").SetServFail("broken.test");

        var mx = await Resolver(_server.Endpoint).LookupMxAsync("broken.test", default);

        Assert.Equal(DnsStatus.TempFail, mx.Status);
        Assert.NotNull(mx.Error);
    }

    [Fact]
    public async Task ResolverNotListeningIsTemporaryFailure()
    {
        var dns = Resolver($"127.0.0.1:{FreePort.Next()}", timeoutSeconds: 2);
        var clock = Stopwatch.StartNew();

        var mx = await dns.LookupMxAsync("anything.test", default);

        Assert.Equal(DnsStatus.TempFail, mx.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task SilentResolverIsTemporaryFailureWithinTheTimeout()
    {
        // Bound but never answering: the datagrams vanish, as with a dead resolver behind a firewall.
        using var silent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var dns = Resolver($"127.0.0.1:{((IPEndPoint)silent.Client.LocalEndPoint!).Port}", timeoutSeconds: 2);
        var clock = Stopwatch.StartNew();

        var txt = await dns.LookupTxtAsync("anything.test", default);

        Assert.Equal(DnsStatus.TempFail, txt.Status);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task TxtStringsOfOneRecordAreJoined()
    {
        _server.AddTxt("txt.test", "v=DKIM1; k=rsa; ", "p=ABC").AddTxt("txt.test", "second record");

        var txt = await Resolver(_server.Endpoint).LookupTxtAsync("txt.test", default);

        Assert.Equal(DnsStatus.Ok, txt.Status);
        Assert.Equal(["second record", "v=DKIM1; k=rsa; p=ABC"], txt.Records.Order());
    }

    [Fact]
    public async Task NameWithOtherRecordsButNoneOfTheTypeIsNoData()
    {
        _server.AddA("host.test", "192.0.2.9");

        var txt = await Resolver(_server.Endpoint).LookupTxtAsync("host.test", default);

        Assert.Equal(DnsStatus.NoData, txt.Status);
    }

    [Fact]
    public async Task AddressesIncludeBothFamilies()
    {
        _server.AddA("dual.test", "192.0.2.10").AddA("dual.test", "2001:db8::10");

        var addresses = await Resolver(_server.Endpoint).LookupAddressesAsync("dual.test", default);

        Assert.Equal(DnsStatus.Ok, addresses.Status);
        Assert.Equal([IPAddress.Parse("192.0.2.10"), IPAddress.Parse("2001:db8::10")], addresses.Records);
    }

    [Fact]
    public async Task TlsaRecordsCarryTheAdBitOnlyWhenSecure()
    {
        var hash = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        _server.AddTlsa("mx.secure.test", 25, 3, 1, 1, hash).MarkTlsaSecure("mx.secure.test", 25);
        _server.AddTlsa("mx.insecure.test", 25, 3, 1, 1, hash);
        var dns = Resolver(_server.Endpoint);

        var secure = await dns.LookupTlsaAsync("mx.secure.test", 25, default);
        var insecure = await dns.LookupTlsaAsync("mx.insecure.test", 25, default);

        Assert.Equal(DnsStatus.Ok, secure.Status);
        Assert.True(secure.Authenticated);
        var record = Assert.Single(secure.Records);
        Assert.Equal((3, 1, 1), (record.Usage, record.Selector, record.MatchingType));
        Assert.Equal(hash, record.Data);
        Assert.Equal(DnsStatus.Ok, insecure.Status);
        Assert.False(insecure.Authenticated);
    }

    [Fact]
    public async Task MxAnswerIsAuthenticatedOnlyWhenSecure()
    {
        _server.AddMx("signed.test", 10, "mx.signed.test").MarkSecure("signed.test");

        var mx = await Resolver(_server.Endpoint).LookupMxAsync("signed.test", default);

        Assert.True(mx.Authenticated);
    }

    [Fact]
    public async Task AnswersAreCachedForTheirTtlOnly()
    {
        _server.Ttl = 300;
        _server.AddTxt("cached.test", "one");
        _server.Ttl = 0;
        _server.AddTxt("uncached.test", "one");
        var dns = Resolver(_server.Endpoint);

        await dns.LookupTxtAsync("cached.test", default);
        await dns.LookupTxtAsync("uncached.test", default);
        _server.Remove("cached.test").AddTxt("cached.test", "two");
        _server.Remove("uncached.test").AddTxt("uncached.test", "two");

        Assert.Equal(["one"], (await dns.LookupTxtAsync("cached.test", default)).Records);
        Assert.Equal(["two"], (await dns.LookupTxtAsync("uncached.test", default)).Records);
    }
}
