using Mail.Grains.Outbound.Dns;

namespace Mail.Grains.Tests.Outbound;

/// <summary>The RFC 8461 §3.1 TXT record and §3.2 policy file, and §4.1 MX pattern matching.</summary>
public sealed class MtaStsPolicyParserTests
{
    [Fact]
    public void PolicyWithCrlfLinesParses()
    {
        var policy = MtaStsPolicyParser.Parse("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmax_age: 604800\r\n", "id1", out var error);

        Assert.NotNull(policy);
        Assert.Equal("", error);
        Assert.Equal(MtaStsMode.Enforce, policy.Mode);
        Assert.Equal(["mail.example.com", "*.example.net"], policy.MxPatterns);
        Assert.Equal(TimeSpan.FromDays(7), policy.MaxAge);
        Assert.Equal("id1", policy.Id);
    }

    [Fact]
    public void PolicyWithLfLinesExtraSpacesAndUnknownFieldsParses()
    {
        var policy = MtaStsPolicyParser.Parse("version:STSv1\nmode:   testing  \nextension: whatever\nmx: MX.Example.COM.\nmax_age: 86400", "x", out _);

        Assert.NotNull(policy);
        Assert.Equal(MtaStsMode.Testing, policy.Mode);
        Assert.Equal(["mx.example.com"], policy.MxPatterns);
    }

    [Fact]
    public void NoneModeNeedsNoMx()
    {
        var policy = MtaStsPolicyParser.Parse("version: STSv1\nmode: none\nmax_age: 86400\n", "x", out _);

        Assert.Equal(MtaStsMode.None, policy?.Mode);
    }

    [Fact]
    public void FirstOfRepeatedFieldWins()
    {
        var policy = MtaStsPolicyParser.Parse("version: STSv1\nmode: testing\nmode: enforce\nmx: a.test\nmax_age: 10\nmax_age: 20\n", "x", out _);

        Assert.Equal(MtaStsMode.Testing, policy?.Mode);
        Assert.Equal(TimeSpan.FromSeconds(10), policy?.MaxAge);
    }

    [Fact]
    public void MaxAgeAboveOneYearIsClampedToTheLimit()
    {
        var policy = MtaStsPolicyParser.Parse("version: STSv1\nmode: enforce\nmx: a.test\nmax_age: 9999999999\n", "x", out _);

        Assert.Equal(TimeSpan.FromSeconds(MtaStsPolicyParser.MaxAgeLimitSeconds), policy?.MaxAge);
    }

    [Theory]
    [InlineData("mode: enforce\nmx: a.test\nmax_age: 1\n", "version")]
    [InlineData("version: STSv2\nmode: enforce\nmx: a.test\nmax_age: 1\n", "version")]
    [InlineData("version: STSv1\nmode: strict\nmx: a.test\nmax_age: 1\n", "mode")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.test\n", "max_age")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.test\nmax_age: -5\n", "max_age")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.test\nmax_age: 12345678901\n", "max_age")]
    [InlineData("version: STSv1\nmode: enforce\nmax_age: 1\n", "no mx")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.*.test\nmax_age: 1\n", "mx")]
    [InlineData("version: STSv1\nmode: enforce\nmx: *a.test\nmax_age: 1\n", "mx")]
    [InlineData("<html>not a policy</html>", "key: value")]
    public void InvalidPolicyIsRefusedWithAReason(string text, string reasonMentions)
    {
        var policy = MtaStsPolicyParser.Parse(text, "x", out var error);

        Assert.Null(policy);
        Assert.Contains(reasonMentions, error);
    }

    [Theory]
    [InlineData("mail.example.com", "mail.example.com", true)]
    [InlineData("mail.example.com", "MAIL.example.com.", true)]
    [InlineData("mail.example.com", "mail2.example.com", false)]
    [InlineData("*.example.com", "mx1.example.com", true)]
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("*.example.com", "a.b.example.com", false)]
    [InlineData("*.example.com", "mx1.example.com.evil.test", false)]
    public void MxPatternsMatchExactlyOrOneWildcardLabel(string pattern, string host, bool matches)
    {
        var policy = new MtaStsPolicy(MtaStsMode.Enforce, [pattern], TimeSpan.FromDays(1), "x");

        Assert.Equal(matches, policy.Matches(host));
    }

    [Theory]
    [InlineData(new[] { "v=STSv1; id=2024-01-01;" }, null)]
    [InlineData(new[] { "v=STSv1; id=abc123" }, "abc123")]
    [InlineData(new[] { "v=STSv1;id=abc123;" }, "abc123")]
    [InlineData(new[] { "v=spf1 -all", "v=STSv1; id=abc" }, "abc")]
    [InlineData(new[] { "v=STSv1; id=a", "v=STSv1; id=b" }, null)]
    [InlineData(new[] { "v=STSv1;" }, null)]
    [InlineData(new[] { "v=STSv10; id=abc" }, null)]
    [InlineData(new[] { "id=abc; v=STSv1" }, null)]
    public void TxtRecordYieldsTheIdOfExactlyOneStsv1Record(string[] records, string? id)
    {
        Assert.Equal(id, MtaStsPolicyParser.ParseTxtId(records));
    }
}
