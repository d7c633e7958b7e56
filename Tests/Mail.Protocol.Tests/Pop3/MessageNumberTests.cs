using Mail.Frontends.Pop3.Protocol;

namespace Mail.Protocol.Tests.Pop3;

/// <summary>Numeric arguments (RFC 1939 §5, §7): decimal digits only; message numbers from 1, TOP line counts from 0.</summary>
public sealed class MessageNumberTests
{
    [Theory]
    [InlineData("1", 1)]
    [InlineData("42", 42)]
    [InlineData("007", 7)]
    [InlineData("2147483647", int.MaxValue)]
    public void DecimalDigitsAreAMessageNumber(string text, int expected)
    {
        Assert.True(MessageNumber.TryParse(text, out var number));
        Assert.Equal(expected, number);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("1.0")]
    [InlineData("0x1")]
    [InlineData("2147483648")]
    [InlineData("99999999999")]
    [InlineData("١")]
    public void AnythingElseIsNotAMessageNumber(string text)
    {
        Assert.False(MessageNumber.TryParse(text, out _));
    }

    [Fact]
    public void ZeroIsAValidLineCountButNotAMessageNumber()
    {
        Assert.True(MessageNumber.TryParseCount("0", out var count));
        Assert.Equal(0, count);
        Assert.False(MessageNumber.TryParse("0", out _));
        Assert.False(MessageNumber.TryParseCount("-0", out _));
    }
}
