using System.Net;
using Mail.Security.Spf;

namespace Mail.Protocol.Tests.InboundAuth;

/// <summary>The macro examples of RFC 7208 §7.4, for sender strong-bad@email.example.com.</summary>
public sealed class SpfMacroTests
{
    private static readonly SpfRequest V4 = new(IPAddress.Parse("192.0.2.3"), "strong-bad@email.example.com", "mx.example.org");
    private static readonly SpfRequest V6 = new(IPAddress.Parse("2001:db8::cb01"), "strong-bad@email.example.com", "mx.example.org");

    [Theory]
    [InlineData("%{s}", "strong-bad@email.example.com")]
    [InlineData("%{o}", "email.example.com")]
    [InlineData("%{d}", "email.example.com")]
    [InlineData("%{d4}", "email.example.com")]
    [InlineData("%{d3}", "email.example.com")]
    [InlineData("%{d2}", "example.com")]
    [InlineData("%{d1}", "com")]
    [InlineData("%{dr}", "com.example.email")]
    [InlineData("%{d2r}", "example.email")]
    [InlineData("%{l}", "strong-bad")]
    [InlineData("%{l-}", "strong.bad")]
    [InlineData("%{lr}", "strong-bad")]
    [InlineData("%{lr-}", "bad.strong")]
    [InlineData("%{l1r-}", "strong")]
    [InlineData("%{h}", "mx.example.org")]
    [InlineData("%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com")]
    [InlineData("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com")]
    [InlineData("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "bad.strong.lp.3.2.0.192.in-addr._spf.example.com")]
    [InlineData("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "3.2.0.192.in-addr.strong.lp._spf.example.com")]
    [InlineData("%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net")]
    [InlineData("%%%_%-", "% %20")]
    [InlineData("%{S}", "strong-bad%40email.example.com")]
    public void ExpandsTheRfcExamples(string spec, string expected) =>
        Assert.Equal(expected, SpfMacro.Expand(spec, V4, "email.example.com"));

    [Fact]
    public void ExpandsIpv6AsNibbles() =>
        Assert.Equal("1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com",
            SpfMacro.Expand("%{ir}.%{v}._spf.%{d2}", V6, "email.example.com"));

    [Theory]
    [InlineData("%")]
    [InlineData("%x")]
    [InlineData("%{x}")]
    [InlineData("%{d")]
    [InlineData("%{d0}")]
    [InlineData("%{d2!}")]
    public void RefusesBadMacroSyntax(string spec) => Assert.Null(SpfMacro.Expand(spec, V4, "email.example.com"));
}
