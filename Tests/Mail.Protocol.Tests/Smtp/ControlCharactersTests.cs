using Mail.Frontends.Smtp.Protocol;

namespace Mail.Protocol.Tests.Smtp;

/// <summary>Control characters in EHLO/HELO names and paths (RFC 5321 §4.1.1.1, §4.1.2).</summary>
public sealed class ControlCharactersTests
{
    [Theory]
    [InlineData("client\u0000.example")]
    [InlineData("client.example\r")]
    [InlineData("client.example\nX-Injected: yes")]
    [InlineData("[127.0.0.1\u0000]")]
    [InlineData("\u001Bclient")]
    [InlineData("client\u007F")]
    [InlineData("client\u0085")]
    [InlineData("a\tb")]
    public void ControlCharacterIsFound(string text) => Assert.True(ControlCharacters.AnyIn(text));

    [Theory]
    [InlineData("client.example")]
    [InlineData("[127.0.0.1]")]
    [InlineData("[IPv6:2001:db8::1]")]
    [InlineData("例子.test")]
    [InlineData("")]
    public void PrintableTextHasNone(string text) => Assert.False(ControlCharacters.AnyIn(text));
}
