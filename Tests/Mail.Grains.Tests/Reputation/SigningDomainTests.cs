using Mail.Grains.Outbound.Dkim;

namespace Mail.Grains.Tests.Reputation;

/// <summary>Which domain signs: the From domain only when the sending tenant holds it.</summary>
public sealed class SigningDomainTests
{
    private static readonly string[] TenantDomains = ["a.test", "b.test"];

    [Theory]
    [InlineData("Alice <alice@B.test>", "alice@a.test", "b.test")]
    [InlineData("alice@a.test", "alice@a.test", "a.test")]
    [InlineData("ceo@other-tenant.test", "alice@a.test", "a.test")]
    [InlineData(null, "alice@a.test", "a.test")]
    [InlineData("MAILER-DAEMON@mx.mail.test", "", "mx.mail.test")]
    [InlineData(null, "", null)]
    public void FromDomainSignsOnlyWhenTheTenantHoldsIt(string? from, string envelope, string? expected) =>
        Assert.Equal(expected, SigningDomain.For(from, envelope, TenantDomains));
}
