using System.Net;
using Mail.Security.Spf;

namespace Mail.Protocol.Tests.InboundAuth;

/// <summary>check_host() (RFC 7208) over an in-memory resolver; cases after RFC 7208 and the pyspf test suite.</summary>
public sealed class SpfEvaluatorTests
{
    private static Task<SpfResult> CheckAsync(FakeAuthDns dns, string client, string domain = "example.test", string sender = "user@example.test") =>
        SpfEvaluator.CheckHostAsync(dns, new SpfRequest(IPAddress.Parse(client), sender, "helo.example.test"), domain, CancellationToken.None);

    [Theory]
    [InlineData("v=spf1 +all", SpfResult.Pass)]
    [InlineData("v=spf1 -all", SpfResult.Fail)]
    [InlineData("v=spf1 ~all", SpfResult.SoftFail)]
    [InlineData("v=spf1 ?all", SpfResult.Neutral)]
    [InlineData("v=spf1", SpfResult.Neutral)]
    [InlineData("V=SPF1 IP4:192.0.2.1 -ALL", SpfResult.Pass)]
    [InlineData("v=spf1 ip4:192.0.2.0/24 -all", SpfResult.Pass)]
    [InlineData("v=spf1 ip4:192.0.3.0/24 -all", SpfResult.Fail)]
    [InlineData("v=spf1 foo=bar ip4:192.0.2.1 -all", SpfResult.Pass)]
    [InlineData("v=spf1 ip4:192.0.2.1/33 -all", SpfResult.PermError)]
    [InlineData("v=spf1 ip4:192.0.2.1/024 -all", SpfResult.PermError)]
    [InlineData("v=spf1 frobnicate -all", SpfResult.PermError)]
    [InlineData("v=spf1 -all redirect=a.test redirect=b.test", SpfResult.PermError)]
    [InlineData("v=spf1 include -all", SpfResult.PermError)]
    [InlineData("v=spf10 +all", SpfResult.None)]
    public async Task QualifiersMechanismsAndSyntax(string record, SpfResult expected) =>
        Assert.Equal(expected, await CheckAsync(new FakeAuthDns().Txt("example.test", record), "192.0.2.1"));

    [Fact]
    public async Task NoRecordIsNoneAndTwoRecordsArePermerror()
    {
        Assert.Equal(SpfResult.None, await CheckAsync(new FakeAuthDns().Txt("example.test", "some other text"), "192.0.2.1"));
        Assert.Equal(SpfResult.PermError, await CheckAsync(new FakeAuthDns().Txt("example.test", "v=spf1 -all", "v=spf1 +all"), "192.0.2.1"));
        Assert.Equal(SpfResult.None, await CheckAsync(new FakeAuthDns(), "192.0.2.1", domain: "single-label"));
    }

    [Fact]
    public async Task ARecordLookupFailureIsTemperror() =>
        Assert.Equal(SpfResult.TempError, await CheckAsync(new FakeAuthDns().Fail("example.test"), "192.0.2.1"));

    [Fact]
    public async Task IncludeMatchesOnlyOnPassAndPropagatesErrors()
    {
        var dns = new FakeAuthDns()
            .Txt("example.test", "v=spf1 include:pass.test include:fail.test -all")
            .Txt("pass.test", "v=spf1 ip4:192.0.2.1 -all")
            .Txt("fail.test", "v=spf1 -all");
        Assert.Equal(SpfResult.Pass, await CheckAsync(dns, "192.0.2.1"));
        Assert.Equal(SpfResult.Fail, await CheckAsync(dns, "192.0.2.9"));
        Assert.Equal(SpfResult.PermError, await CheckAsync(new FakeAuthDns().Txt("example.test", "v=spf1 include:none.test +all"), "192.0.2.1"));
        Assert.Equal(SpfResult.TempError, await CheckAsync(new FakeAuthDns().Txt("example.test", "v=spf1 include:down.test +all").Fail("down.test"), "192.0.2.1"));
    }

    [Fact]
    public async Task RedirectIsFollowedOnlyWithoutAMatchAndWithoutAll()
    {
        var dns = new FakeAuthDns()
            .Txt("example.test", "v=spf1 ip4:198.51.100.1 redirect=target.test")
            .Txt("target.test", "v=spf1 ip4:192.0.2.1 -all")
            .Txt("all.test", "v=spf1 ?all redirect=target.test")
            .Txt("empty.test", "v=spf1 redirect=nowhere.test");
        Assert.Equal(SpfResult.Pass, await CheckAsync(dns, "192.0.2.1"));
        Assert.Equal(SpfResult.Fail, await CheckAsync(dns, "192.0.2.2"));
        Assert.Equal(SpfResult.Neutral, await CheckAsync(dns, "192.0.2.1", domain: "all.test"));
        Assert.Equal(SpfResult.PermError, await CheckAsync(dns, "192.0.2.1", domain: "empty.test"));
    }

    [Fact]
    public async Task AnIncludeLoopIsStoppedByTheLookupLimit()
    {
        var dns = new FakeAuthDns().Txt("example.test", "v=spf1 include:loop.test -all").Txt("loop.test", "v=spf1 include:example.test -all");
        Assert.Equal(SpfResult.PermError, await CheckAsync(dns, "192.0.2.1"));
        Assert.True(dns.Queries <= 12, $"{dns.Queries} queries");
    }

    [Fact]
    public async Task TenLookupsAreAllowedAndTheEleventhIsPermerror()
    {
        var ten = string.Join(' ', Enumerable.Range(1, 10).Select(i => $"a:h{i}.test"));
        var dns = new FakeAuthDns().Txt("ten.test", $"v=spf1 {ten} ip4:192.0.2.1 -all").Txt("eleven.test", $"v=spf1 {ten} a:h11.test ip4:192.0.2.1 -all");
        for (var i = 1; i <= 11; i++) dns.A($"h{i}.test", "198.51.100.1");
        Assert.Equal(SpfResult.Pass, await CheckAsync(dns, "192.0.2.1", domain: "ten.test"));
        Assert.Equal(SpfResult.PermError, await CheckAsync(dns, "192.0.2.1", domain: "eleven.test"));
    }

    [Fact]
    public async Task MoreThanTwoVoidLookupsArePermerror()
    {
        var dns = new FakeAuthDns()
            .Txt("two.test", "v=spf1 a:v1.test a:v2.test -all")
            .Txt("three.test", "v=spf1 a:v1.test a:v2.test a:v3.test -all");
        Assert.Equal(SpfResult.Fail, await CheckAsync(dns, "192.0.2.1", domain: "two.test"));
        Assert.Equal(SpfResult.PermError, await CheckAsync(dns, "192.0.2.1", domain: "three.test"));
    }

    [Fact]
    public async Task AAndMxMatchWithCidrLengths()
    {
        var dns = new FakeAuthDns()
            .Txt("example.test", "v=spf1 a/24 mx//64 -all")
            .A("example.test", "192.0.2.10")
            .Mx("example.test", "mx.example.test")
            .A("mx.example.test", "2001:db8:1::1");
        Assert.Equal(SpfResult.Pass, await CheckAsync(dns, "192.0.2.200"));
        Assert.Equal(SpfResult.Pass, await CheckAsync(dns, "2001:db8:1::ffff"));
        Assert.Equal(SpfResult.Fail, await CheckAsync(dns, "2001:db8:2::1"));
        Assert.Equal(SpfResult.Fail, await CheckAsync(dns, "192.0.3.1"));
    }

    [Fact]
    public async Task MoreThanTenMxNamesArePermerror()
    {
        var dns = new FakeAuthDns().Txt("example.test", "v=spf1 mx -all").Mx("example.test", Enumerable.Range(1, 11).Select(i => $"mx{i}.test").ToArray());
        Assert.Equal(SpfResult.PermError, await CheckAsync(dns, "192.0.2.1"));
    }

    [Fact]
    public async Task ExistsExpandsMacrosAndAlwaysQueriesA()
    {
        var dns = new FakeAuthDns().Txt("example.test", "v=spf1 exists:%{ir}.%{l}.allow.test -all").A("1.2.0.192.user.allow.test", "127.0.0.2");
        Assert.Equal(SpfResult.Pass, await CheckAsync(dns, "192.0.2.1"));
        Assert.Equal(SpfResult.Fail, await CheckAsync(dns, "192.0.2.2"));
    }

    [Fact]
    public async Task AnIpv4MappedClientIsCheckedAsIpv4() =>
        Assert.Equal(SpfResult.Pass, await CheckAsync(new FakeAuthDns().Txt("example.test", "v=spf1 ip4:192.0.2.1 -all"), "::ffff:192.0.2.1"));

    [Fact]
    public async Task Ip6NetworksMatch()
    {
        var dns = new FakeAuthDns().Txt("example.test", "v=spf1 ip6:2001:db8::/32 -all");
        Assert.Equal(SpfResult.Pass, await CheckAsync(dns, "2001:db8:ffff::1"));
        Assert.Equal(SpfResult.Fail, await CheckAsync(dns, "2001:db9::1"));
        Assert.Equal(SpfResult.Fail, await CheckAsync(dns, "192.0.2.1"));
    }
}
