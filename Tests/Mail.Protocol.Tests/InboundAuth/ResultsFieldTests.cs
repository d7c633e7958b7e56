using System.Net;
using System.Text;
using Mail.Frontends.Smtp.Session;
using Mail.Security;
using Mail.Security.Dkim;
using Mail.Security.Dmarc;
using Mail.Security.Results;
using Mail.Security.Spf;

namespace Mail.Protocol.Tests.InboundAuth;

/// <summary>The Authentication-Results field we write and read (RFC 8601), and the removal of forged ones while streaming (§5).</summary>
public sealed class ResultsFieldTests
{
    private const string Headers =
        "Received: from a\r\n" +
        "Authentication-Results: mx.example.net; dkim=pass\r\n" +
        "authentication-results  :\r\n (forged) MX.Example.NET;\r\n\tspf=pass\r\n" +
        "Authentication-Results: other.example; spf=pass\r\n" +
        "Authentication-Results: \"mx.example.net\" 1; dmarc=pass\r\n" +
        "Subject: hi\r\n" +
        "\r\n" +
        "Authentication-Results: mx.example.net; in the body, untouched\r\n";

    private const string Expected =
        "Received: from a\r\n" +
        "Authentication-Results: other.example; spf=pass\r\n" +
        "Subject: hi\r\n" +
        "\r\n" +
        "Authentication-Results: mx.example.net; in the body, untouched\r\n";

    [Fact]
    public void ForgedFieldsAreRemovedWhereverTheChunksSplit()
    {
        var input = Encoding.ASCII.GetBytes(Headers);
        for (var split = 0; split <= input.Length; split++)
        {
            var output = new List<byte>();
            var filter = new ForgedResultsFilter("mx.example.net");
            filter.Write(input.AsSpan(0, split), s => output.AddRange(s.ToArray()));
            filter.Write(input.AsSpan(split), s => output.AddRange(s.ToArray()));
            filter.Complete(s => output.AddRange(s.ToArray()));
            Assert.Equal(Expected, Encoding.ASCII.GetString([.. output]));
        }
    }

    [Fact]
    public void AnOversizedResultsFieldIsDroppedAndAMessageWithoutBodyIsKept()
    {
        var huge = "Authentication-Results: other.example;\r\n" + string.Concat(Enumerable.Repeat("\tx=y\r\n", ForgedResultsFilter.MaxFieldBytes / 5)) + "Subject: s\r\n";
        var output = new List<byte>();
        var filter = new ForgedResultsFilter("mx.example.net");
        filter.Write(Encoding.ASCII.GetBytes(huge), s => output.AddRange(s.ToArray()));
        filter.Complete(s => output.AddRange(s.ToArray()));
        Assert.Equal("Subject: s\r\n", Encoding.ASCII.GetString([.. output]));
    }

    [Fact]
    public void OurFieldRoundTripsAndClientNamesCannotInjectResults()
    {
        var verdict = new InboundAuthVerdict(
            new SpfVerdict(SpfResult.Pass, "example.com", "a@example.com"),
            new SpfVerdict(SpfResult.None, "evil;\r\n\tdkim=pass", "evil; dkim=pass (x)"),
            [new DkimSignatureResult("fail", "example.com", "s1", "abcdefgh"), new DkimSignatureResult("pass", "example.org", "s2", "ijklmnop")],
            "none",
            new DmarcVerdict("pass", "example.com", DmarcPolicy.Reject, DmarcPolicy.None));
        var field = verdict.ToField("mx.example.net");
        Assert.StartsWith("Authentication-Results: mx.example.net;\r\n\tspf=pass smtp.mailfrom=a@example.com;\r\n\tspf=none smtp.helo=evildkim=passx;", field);
        Assert.EndsWith("\r\n", field);

        var (id, results) = AuthResultsReader.Read(field["Authentication-Results:".Length..])!.Value;
        Assert.Equal("mx.example.net", id);
        Assert.Equal(["spf", "spf", "dkim", "dkim", "dmarc", "arc"], results.Select(r => r.Method));
        Assert.Equal("pass", results.Single(r => r.Method == "dmarc").Result);
        Assert.Equal("example.org", results.Last(r => r.Method == "dkim").Properties["header.d"]);
    }

    [Theory]
    [InlineData(" mx.example.net; spf=pass", "mx.example.net")]
    [InlineData(" (c (nested)) mx.example.net 1 ; spf=pass", "mx.example.net")]
    [InlineData(" \"mx.example.net\"; spf=pass", "mx.example.net")]
    [InlineData(" ; spf=pass", null)]
    public void AuthServIdIsReadPastComments(string value, string? expected) => Assert.Equal(expected, AuthResultsSyntax.AuthServId(value));

    [Fact]
    public async Task SpfOfANullSenderIsTheHeloIdentity()
    {
        var dns = new FakeAuthDns().Txt("helo.example.com", "v=spf1 ip4:192.0.2.1 -all");
        var authenticator = new InboundAuthenticator(dns, PublicSuffixList.Load([]), () => 0);
        var (helo, mailFrom) = await authenticator.SpfAsync(new InboundAuthRequest(IPAddress.Parse("192.0.2.1"), "helo.example.com", ""), CancellationToken.None);
        Assert.Equal(SpfResult.Pass, helo.Result);
        Assert.Equal(SpfResult.Pass, mailFrom.Result);
        Assert.Equal("postmaster@helo.example.com", mailFrom.Identity);
    }
}
