using Mail.Frontends.Smtp.Protocol;

namespace Mail.Protocol.Tests.Smtp;

/// <summary>MAIL FROM:/RCPT TO: arguments (RFC 5321 §4.1.1.2, §4.1.1.3, §4.1.2, §4.5.3.1.3).</summary>
public sealed class PathArgumentTests
{
    [Theory]
    [InlineData("FROM:<alice@example.test>", "FROM")]
    [InlineData("from:<alice@example.test>", "FROM")]
    [InlineData("FROM: <alice@example.test>", "FROM")]
    [InlineData("  TO:<alice@example.test>", "TO")]
    [InlineData("To:<alice@example.test>", "TO")]
    public void PlainPathIsParsedWithKeywordInAnyCase(string argument, string keyword)
    {
        var (path, error) = PathArgument.Parse(argument, keyword, allowNull: keyword == "FROM");

        Assert.Null(error);
        Assert.NotNull(path);
        Assert.Equal("alice@example.test", path.Address);
        Assert.Empty(path.Parameters);
    }

    [Fact]
    public void NullReversePathIsAllowedForMailFrom()
    {
        var (path, error) = PathArgument.Parse("FROM:<>", "FROM", allowNull: true);

        Assert.Null(error);
        Assert.Equal("", path!.Address);
    }

    [Fact]
    public void NullPathIsRefusedForRcptTo()
    {
        var (path, error) = PathArgument.Parse("TO:<>", "TO", allowNull: false);

        Assert.Null(path);
        Assert.Equal("Syntax: an empty address is not allowed here", error);
    }

    [Fact]
    public void ParametersAreParsedWithAndWithoutValuesAndLookedUpInAnyCase()
    {
        var (path, error) = PathArgument.Parse("FROM:<a@b.example> SIZE=1000  BODY=8BITMIME SMTPUTF8 ENVID=QQ+2Bx", "FROM", allowNull: true);

        Assert.Null(error);
        Assert.Equal(4, path!.Parameters.Count);
        Assert.Equal("1000", path.Parameters["size"]);
        Assert.Equal("8BITMIME", path.Parameters["BODY"]);
        Assert.True(path.Parameters.ContainsKey("SmtpUtf8"));
        Assert.Null(path.Parameters["SMTPUTF8"]);
        Assert.Equal("QQ+2Bx", path.Parameters["ENVID"]);
    }

    [Fact]
    public void NullSenderTakesParameters()
    {
        var (path, error) = PathArgument.Parse("FROM:<> SIZE=10", "FROM", allowNull: true);

        Assert.Null(error);
        Assert.Equal("", path!.Address);
        Assert.Equal("10", path.Parameters["SIZE"]);
    }

    [Theory]
    [InlineData("FROM:<a@b.example> SIZE=1 SIZE=2")]
    [InlineData("FROM:<a@b.example> SIZE=1 size=2")]
    [InlineData("FROM:<a@b.example> SMTPUTF8 SMTPUTF8")]
    public void DuplicateParameterIsRefused(string argument)
    {
        var (path, error) = PathArgument.Parse(argument, "FROM", allowNull: true);

        Assert.Null(path);
        Assert.StartsWith("Syntax: parameter ", error);
        Assert.EndsWith(" given twice", error);
    }

    [Theory]
    [InlineData("FROM:<a@b.example> =1")]
    [InlineData("FROM:<a@b.example> SI_ZE=1")]
    [InlineData("FROM:<a@b.example> SIZE:1")]
    public void MalformedParameterKeywordIsRefused(string argument)
    {
        var (path, error) = PathArgument.Parse(argument, "FROM", allowNull: true);

        Assert.Null(path);
        Assert.StartsWith("Syntax: bad parameter", error);
    }

    [Theory]
    [InlineData("FROM:alice@example.test", "Syntax: the address must be in angle brackets")]
    [InlineData("FROM:<alice@example.test", "Syntax: missing '>'")]
    [InlineData("FROM:", "Syntax: the address must be in angle brackets")]
    [InlineData("FROM <alice@example.test>", "Syntax: expected FROM:<address>")]
    [InlineData("TO:<alice@example.test>", "Syntax: expected FROM:<address>")]
    [InlineData("", "Syntax: expected FROM:<address>")]
    public void MissingBracketsOrKeywordIsASyntaxError(string argument, string expected)
    {
        var (path, error) = PathArgument.Parse(argument, "FROM", allowNull: true);

        Assert.Null(path);
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("TO:<@relay.example:bob@example.test>")]
    [InlineData("TO:<@relay.example,@other.example:bob@example.test>")]
    public void SourceRouteIsStripped(string argument)
    {
        var (path, error) = PathArgument.Parse(argument, "TO", allowNull: false);

        Assert.Null(error);
        Assert.Equal("bob@example.test", path!.Address);
    }

    [Fact]
    public void PathOfMaximumLengthIsAccepted()
    {
        var address = new string('a', PathArgument.MaxPathLength - "@example.test".Length) + "@example.test";

        var (path, error) = PathArgument.Parse($"TO:<{address}>", "TO", allowNull: false);

        Assert.Null(error);
        Assert.Equal(address, path!.Address);
    }

    [Fact]
    public void PathOverTheMaximumLengthIsRefused()
    {
        var address = new string('a', PathArgument.MaxPathLength + 1 - "@example.test".Length) + "@example.test";

        var (path, error) = PathArgument.Parse($"TO:<{address}>", "TO", allowNull: false);

        Assert.Null(path);
        Assert.Equal("Path too long", error);
    }

    [Theory]
    [InlineData("TO:<no-at-sign>")]
    [InlineData("TO:<user@>")]
    [InlineData("TO:<@example.test>")]
    [InlineData("TO:<us er@example.test>")]
    [InlineData("TO:<user@exa mple.test>")]
    [InlineData("TO:<us\u0001er@example.test>")]
    [InlineData("TO:<user@[192.0.2.1>")]
    [InlineData("TO:<a@b.example,c@d.example>")]
    [InlineData("TO:<a;b@example.test>")]
    public void InvalidMailboxIsRefused(string argument)
    {
        var (path, error) = PathArgument.Parse(argument, "TO", allowNull: false);

        Assert.Null(path);
        Assert.StartsWith("Syntax: ", error);
    }

    [Theory]
    [InlineData("TO:<\"john doe\"@example.test>", "\"john doe\"@example.test")]
    [InlineData("TO:<user@[192.0.2.1]>", "user@[192.0.2.1]")]
    [InlineData("TO:<用户@例子.test>", "用户@例子.test")]
    [InlineData("TO:<first.last+tag@sub.example.test>", "first.last+tag@sub.example.test")]
    public void ValidMailboxFormsAreAccepted(string argument, string expected)
    {
        var (path, error) = PathArgument.Parse(argument, "TO", allowNull: false);

        Assert.Null(error);
        Assert.Equal(expected, path!.Address);
    }

    [Theory]
    [InlineData("FROM:<a@b.example\r>")]
    [InlineData("FROM:<a@b.example\n>")]
    [InlineData("FROM:<a\u0000@b.example>")]
    [InlineData("FROM:<\"a\u0000\"@b.example>")]
    [InlineData("FROM:<a@b.ex\u007Fample>")]
    [InlineData("FROM:<a@[127.0.0.1\u0000]>")]
    [InlineData("FROM:<a@[127.0.0.1]\r\nX-Injected: 1>")]
    [InlineData("FROM:<a@b.example> ENVID=x\u0001y")]
    [InlineData("FROM:<a@b.example>\t")]
    [InlineData("FROM:<@relay\u0000.example:a@b.example>")]
    public void ControlCharacterAnywhereInTheArgumentIsRefused(string argument)
    {
        var (path, error) = PathArgument.Parse(argument, "FROM", allowNull: true);

        Assert.Null(path);
        Assert.Equal(PathArgument.ControlCharacterError, error);
    }

    [Theory]
    [InlineData("TO:<a@[]>")]
    [InlineData("TO:<a@[127.0.0.1 ]>")]
    [InlineData("TO:<a@[1[2]>")]
    [InlineData("TO:<a@[1\\2]>")]
    public void MalformedAddressLiteralIsRefused(string argument)
    {
        var (path, error) = PathArgument.Parse(argument, "TO", allowNull: false);

        Assert.Null(path);
        Assert.StartsWith("Syntax: ", error);
    }
}
