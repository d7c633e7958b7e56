using System.Text;
using Mail.Frontends.Pop3.Protocol;

namespace Mail.Protocol.Tests.Pop3;

/// <summary>Response wire format (RFC 1939 §3; response codes RFC 2449 §8, RFC 3206).</summary>
public sealed class Pop3ResponseTests
{
    [Fact]
    public void PositiveResponseIsPlusOkSpaceText()
    {
        Assert.Equal("+OK 2 320\r\n", Pop3Response.Success("2 320").ToString());
    }

    [Fact]
    public void PositiveResponseWithoutTextIsBarePlusOk()
    {
        Assert.Equal("+OK\r\n", Pop3Response.Success("").ToString());
    }

    [Fact]
    public void NegativeResponseCarriesTheCodeInBracketsBeforeTheText()
    {
        Assert.Equal("-ERR [IN-USE] maildrop already locked\r\n", Pop3Response.Error("maildrop already locked", Pop3ResponseCodes.InUse).ToString());
        Assert.Equal("-ERR [SYS/TEMP] x\r\n", Pop3Response.Error("x", Pop3ResponseCodes.SysTemp).ToString());
        Assert.Equal("-ERR [AUTH] Authentication failed\r\n", Pop3Response.Error("Authentication failed", Pop3ResponseCodes.Auth).ToString());
        Assert.Equal("-ERR no such message\r\n", Pop3Response.Error("no such message").ToString());
    }

    [Fact]
    public void MultilineResponseEndsWithDotLine()
    {
        var response = Pop3Response.Multiline("2 messages (320 octets)", ["1 120", "2 200"]);

        Assert.Equal("+OK 2 messages (320 octets)\r\n1 120\r\n2 200\r\n.\r\n", response.ToString());
    }

    [Fact]
    public void EmptyMultilineResponseIsStatusAndDot()
    {
        Assert.Equal("+OK\r\n.\r\n", Pop3Response.Multiline("", []).ToString());
    }

    [Fact]
    public void MultilineLinesStartingWithADotAreStuffed()
    {
        var response = Pop3Response.Multiline("", [".", "..x", "a.b"]);

        Assert.Equal("+OK\r\n..\r\n...x\r\na.b\r\n.\r\n", response.ToString());
    }

    [Fact]
    public void TextIsUtf8OnTheWire()
    {
        Assert.Equal(Encoding.UTF8.GetBytes("+OK été\r\n"), Encoding.UTF8.GetBytes(Pop3Response.Success("été").ToString()));
    }
}
