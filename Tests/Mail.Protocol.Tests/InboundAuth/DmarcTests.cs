using Mail.Security.Dkim;
using Mail.Security.Dmarc;
using Mail.Security.Spf;

namespace Mail.Protocol.Tests.InboundAuth;

/// <summary>DMARC records, the public suffix list, alignment and pct sampling (RFC 7489 §3.1, §3.2, §6.3, §6.6).</summary>
public sealed class DmarcTests
{
    private static readonly PublicSuffixList Suffixes = PublicSuffixList.Load(["// comment", "com", "uk", "co.uk", "*.ck", "!www.ck"]);

    [Theory]
    [InlineData("example.com", "example.com")]
    [InlineData("a.b.example.com", "example.com")]
    [InlineData("mail.example.co.uk", "example.co.uk")]
    [InlineData("foo.bar.ck", "foo.bar.ck")]
    [InlineData("a.www.ck", "www.ck")]
    [InlineData("a.b.unlisted", "b.unlisted")]
    [InlineData("com", "com")]
    public void OrganizationalDomainFollowsTheListRules(string domain, string expected) =>
        Assert.Equal(expected, Suffixes.OrganizationalDomain(domain));

    [Fact]
    public void DebiansListIsLoaded()
    {
        Assert.Equal("example.co.uk", PublicSuffixList.Default.OrganizationalDomain("news.mail.example.co.uk"));
        Assert.Equal("example.github.io", PublicSuffixList.Default.OrganizationalDomain("a.example.github.io"));
    }

    [Fact]
    public void RecordsParse()
    {
        Assert.Equal(new DmarcRecord(DmarcPolicy.Reject, DmarcPolicy.None, true, false, 30),
            DmarcRecord.Parse("v=DMARC1; p=reject; sp=none; adkim=s; aspf=r; pct=30; rua=mailto:x@example.com"));
        Assert.Equal(DmarcPolicy.None, DmarcRecord.Parse("v=DMARC1; rua=mailto:x@example.com")!.Policy);
        Assert.Null(DmarcRecord.Parse("p=reject; v=DMARC1"));
        Assert.Null(DmarcRecord.Parse("v=DMARC1; p=bogus"));
        Assert.Null(DmarcRecord.Parse("v=DMARC1"));
        Assert.Null(DmarcRecord.Parse("v=spf1 -all"));
    }

    [Theory]
    [InlineData(49, DmarcPolicy.Reject)]
    [InlineData(50, DmarcPolicy.Quarantine)]
    public async Task PctSamplesWithTheInjectedRandom(int percentile, DmarcPolicy expected)
    {
        var dns = new FakeAuthDns().Txt("_dmarc.example.com", "v=DMARC1; p=reject; pct=50");
        var verdict = await new DmarcEvaluator(dns, Suffixes, () => percentile).EvaluateAsync("example.com", SpfResult.Fail, "example.com", [], CancellationToken.None);
        Assert.Equal("fail", verdict.Result);
        Assert.Equal(expected, verdict.Disposition);
    }

    [Fact]
    public async Task TheOrganizationalRecordAppliesItsSubdomainPolicy()
    {
        var dns = new FakeAuthDns().Txt("_dmarc.example.co.uk", "v=DMARC1; p=none; sp=quarantine");
        var verdict = await new DmarcEvaluator(dns, Suffixes, () => 0).EvaluateAsync("news.example.co.uk", SpfResult.None, null, [], CancellationToken.None);
        Assert.Equal(DmarcPolicy.Quarantine, verdict.Disposition);
    }

    [Fact]
    public async Task AlignmentIsRelaxedByDefaultAndStrictOnRequest()
    {
        var dkim = new[] { new DkimSignatureResult("pass", "mail.example.com", "s", "abc") };
        var relaxed = new FakeAuthDns().Txt("_dmarc.example.com", "v=DMARC1; p=reject");
        var strict = new FakeAuthDns().Txt("_dmarc.example.com", "v=DMARC1; p=reject; adkim=s; aspf=s");
        Assert.Equal("pass", (await new DmarcEvaluator(relaxed, Suffixes, () => 0).EvaluateAsync("example.com", SpfResult.Fail, "x.com", dkim, CancellationToken.None)).Result);
        Assert.Equal("fail", (await new DmarcEvaluator(strict, Suffixes, () => 0).EvaluateAsync("example.com", SpfResult.Pass, "bounce.example.com", dkim, CancellationToken.None)).Result);
        Assert.Equal("pass", (await new DmarcEvaluator(strict, Suffixes, () => 0).EvaluateAsync("example.com", SpfResult.Pass, "example.com", [], CancellationToken.None)).Result);
    }

    [Fact]
    public async Task AFailedDkimSignatureOfTheFromDomainDoesNotPass()
    {
        var dns = new FakeAuthDns().Txt("_dmarc.example.com", "v=DMARC1; p=reject");
        var dkim = new[] { new DkimSignatureResult("fail", "example.com", "s", "abc") };
        Assert.Equal("fail", (await new DmarcEvaluator(dns, Suffixes, () => 0).EvaluateAsync("example.com", SpfResult.SoftFail, "example.com", dkim, CancellationToken.None)).Result);
    }

    [Fact]
    public async Task NoRecordIsNoneAndALookupFailureIsTemperror()
    {
        Assert.Equal("none", (await new DmarcEvaluator(new FakeAuthDns(), Suffixes, () => 0).EvaluateAsync("example.com", SpfResult.Fail, null, [], CancellationToken.None)).Result);
        var down = new FakeAuthDns().Fail("_dmarc.example.com");
        Assert.Equal("temperror", (await new DmarcEvaluator(down, Suffixes, () => 0).EvaluateAsync("example.com", SpfResult.Fail, null, [], CancellationToken.None)).Result);
    }
}
