using Mail.Frontends.Smtp.Protocol;

namespace Mail.Protocol.Tests.Fuzz;

/// <summary>
/// Inputs infra/fuzz.sh (SharpFuzz + AFL++, Tests/Mail.Fuzz) found to break a promise of the code, kept as they were
/// found (or cut down to the line that mattered), with the behaviour the fix gives.
/// </summary>
public sealed class FuzzRegressionTests
{
    [Theory]
    // smtp target: with an address literal as domain, the local part was not checked at all.
    [InlineData("TO:<@relay.examp TO:<@relay.e\u0096ample:\"quoted user\"@[IPv6:::1]>")]
    [InlineData("TO:<a b<c@[127.0.0.1]>")]
    // smtp target: a quoted local part with a bare '"' inside is no quoted-string (RFC 5321 §4.1.2).
    [InlineData("TO:<@r:\"PT TCPO:<@r:\"qur\"@=Icv1]::1]>")]
    [InlineData("TO:<\"a\"b\"@example.test>")]
    [InlineData("TO:<\"a\\\"@example.test>")]
    public void PathWithSpecialsOutsideAQuotedStringIsRefused(string argument)
    {
        var (path, error) = PathArgument.Parse(argument, "TO", allowNull: false);

        Assert.Null(path);
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData("TO:<\"quoted user\"@[IPv6:::1]>", "\"quoted user\"@[IPv6:::1]")]
    [InlineData("TO:<\"a<b\"@[127.0.0.1]>", "\"a<b\"@[127.0.0.1]")]
    [InlineData("TO:<\"a\\\"b\"@example.test>", "\"a\\\"b\"@example.test")]
    [InlineData("TO:<@relay.example:bob@[127.0.0.1]>", "bob@[127.0.0.1]")]
    public void QuotedStringsAndAddressLiteralsStillParse(string argument, string expected)
    {
        var (path, error) = PathArgument.Parse(argument, "TO", allowNull: false);

        Assert.Null(error);
        Assert.Equal(expected, path!.Address);
    }
}
