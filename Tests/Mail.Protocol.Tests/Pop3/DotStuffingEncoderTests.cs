using System.Buffers;
using System.Text;
using Mail.Frontends.Pop3.Protocol;

namespace Mail.Protocol.Tests.Pop3;

/// <summary>Multi-line body encoding (RFC 1939 §3): byte-stuffed leading dots, CRLF lines, the "." CRLF terminator.</summary>
public sealed class DotStuffingEncoderTests
{
    [Fact]
    public void CrlfMessageIsSentUnchangedThenTerminated()
    {
        Assert.Equal("Subject: x\r\n\r\nbody\r\n.\r\n", Encode("Subject: x\r\n\r\nbody\r\n"));
    }

    [Fact]
    public void LinesStartingWithADotGetOneMoreDot()
    {
        Assert.Equal("a\r\n..\r\n...x\r\n..b.\r\n.\r\n", Encode("a\r\n.\r\n..x\r\n.b.\r\n"));
    }

    [Fact]
    public void DotAtTheVeryStartIsStuffed()
    {
        Assert.Equal("..hidden\r\n.\r\n", Encode(".hidden\r\n"));
    }

    [Fact]
    public void DotInsideALineIsLeftAlone()
    {
        Assert.Equal("a.b\r\nc .\r\n.\r\n", Encode("a.b\r\nc .\r\n"));
    }

    [Fact]
    public void BareLfBecomesCrlf()
    {
        Assert.Equal("a\r\n\r\n..b\r\n.\r\n", Encode("a\n\n.b\n"));
    }

    [Fact]
    public void BareCrIsKeptInsideTheLine()
    {
        Assert.Equal("a\rb\r\n.\r\n", Encode("a\rb\r\n"));
    }

    [Theory]
    [InlineData("no line end", "no line end\r\n.\r\n")]
    [InlineData("ends with cr\r", "ends with cr\r\n.\r\n")]
    [InlineData(".", "..\r\n.\r\n")]
    public void ContentWithoutFinalLineEndGetsOneBeforeTheTerminator(string content, string wire)
    {
        Assert.Equal(wire, Encode(content));
    }

    [Fact]
    public void EmptyContentIsJustTheTerminator()
    {
        Assert.Equal(".\r\n", Encode(""));
    }

    [Theory]
    [InlineData("a\r\n.b\r\n", 3)]
    [InlineData("a\r\n.b\r\n", 2)]
    [InlineData("a\r\n.b\r\n", 4)]
    [InlineData("a\n.b\n", 2)]
    [InlineData("a\r\n\r\n.\r\n", 4)]
    public void SplitsInsideTheInputDoNotChangeTheOutput(string content, int cut)
    {
        var bytes = Encoding.ASCII.GetBytes(content);
        var encoder = new DotStuffingEncoder();
        var output = new ArrayBufferWriter<byte>();
        encoder.Encode(bytes.AsSpan(0, cut), output);
        encoder.Encode(bytes.AsSpan(cut), output);
        encoder.Complete(output);

        Assert.Equal(Encode(content), Encoding.ASCII.GetString(output.WrittenSpan));
    }

    private static string Encode(string content)
    {
        var encoder = new DotStuffingEncoder();
        var output = new ArrayBufferWriter<byte>();
        encoder.Encode(Encoding.ASCII.GetBytes(content), output);
        encoder.Complete(output);
        return Encoding.ASCII.GetString(output.WrittenSpan);
    }
}
