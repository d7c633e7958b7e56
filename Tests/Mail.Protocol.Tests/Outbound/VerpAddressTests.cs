using Mail.Grains.Interfaces.Delivery;
using Mail.Grains.Outbound.Bounces;

namespace Mail.Protocol.Tests.Outbound;

public class VerpAddressTests
{
    [Fact]
    public void NewTokenIs26LowerCaseBase32HexCharactersAndRandom()
    {
        var tokens = Enumerable.Range(0, 200).Select(_ => VerpAddress.NewToken()).ToList();
        Assert.All(tokens, t => Assert.Matches("^[0-9a-v]{26}$", t));
        Assert.Equal(tokens.Count, tokens.Distinct().Count());
        // 128 bits fill 25 characters and 3 bits of the last, so it is always a multiple of 4 (its low 2 bits are padding).
        Assert.All(tokens, t => Assert.Equal(0, "0123456789abcdefghijklmnopqrstuv".IndexOf(t[^1]) % 4));
    }

    [Fact]
    public void CreateThenTryParseRoundTrips()
    {
        var token = VerpAddress.NewToken();
        var address = VerpAddress.Create(token, "Mail.Example.ORG");
        Assert.Equal($"bounces+{token}@mail.example.org", address);
        Assert.True(VerpAddress.TryParse(address, out var parsed, out var domain));
        Assert.Equal(token, parsed);
        Assert.Equal("mail.example.org", domain);
    }

    [Theory]
    [InlineData("BOUNCES+0123456789ABCDEF@Example.org", "0123456789abcdef")]
    [InlineData("Bounces+0123456789abcdefghijklmnop@example.org", "0123456789abcdefghijklmnop")]
    public void PrefixAndTokenCaseAreIgnored(string address, string expected)
    {
        Assert.True(VerpAddress.TryParse(address, out var token, out var domain));
        Assert.Equal(expected, token);
        Assert.Equal("example.org", domain);
    }

    [Theory]
    [InlineData("bounces+0123456789abcdefghijklmnopq@example.org")] // 27 characters: too long
    [InlineData("bounces+0123456789abcde@example.org")]             // 15 characters: too short
    [InlineData("bounces+0123456789abcdefw@example.org")]           // 'w' is outside base32hex
    [InlineData("bounces+0123456789abcdef-@example.org")]
    [InlineData("bounces+0123456789abcdef+x@example.org")]
    [InlineData("bounces0123456789abcdef@example.org")]             // missing '+'
    [InlineData("bounces-0123456789abcdef@example.org")]
    [InlineData("alice@example.org")]
    [InlineData("xbounces+0123456789abcdef@example.org")]
    [InlineData("bounces+@example.org")]
    [InlineData("bounces+0123456789abcdef")]                        // no domain
    [InlineData("bounces+0123456789abcdef@")]
    [InlineData("bounces+0123456789abcdef@exa mple.org")]
    [InlineData("bounces+0123456789abcdef@example..org")]
    [InlineData("bounces+0123456789abcdef@a@example.org")]
    [InlineData("<bounces+0123456789abcdef@example.org>")]
    [InlineData("\"bounces+0123456789abcdef\"@example.org")]
    [InlineData("bounces+0123456789abcdef@example.org\r\n")]
    [InlineData("")]
    public void MalformedAddressesAreRejected(string address)
    {
        Assert.False(VerpAddress.TryParse(address, out var token, out var domain));
        Assert.Equal("", token);
        Assert.Equal("", domain);
    }

    [Theory]
    [InlineData("short", "example.org")]
    [InlineData("0123456789ABCDEF", "example.org")]
    [InlineData("0123456789abcdef", "exa mple.org")]
    [InlineData("0123456789abcdef", "-example.org")]
    public void CreateRejectsMalformedTokensAndDomains(string token, string domain) =>
        Assert.Throws<ArgumentException>(() => VerpAddress.Create(token, domain));
}
