using System.Buffers;
using System.Text;
using Mail.Frontends.Smtp.Protocol;

namespace Mail.Protocol.Tests.Smtp;

/// <summary>Reply wire format (RFC 5321 §4.2, §4.2.1; enhanced codes RFC 2034/3463).</summary>
public sealed class SmtpReplyTests
{
    [Fact]
    public void OneLineReplyWithEnhancedCode()
    {
        Assert.Equal("250 2.0.0 Ok\r\n", Wire(new SmtpReply(250, "2.0.0", "Ok")));
    }

    [Fact]
    public void OneLineReplyWithoutEnhancedCode()
    {
        Assert.Equal("220 localhost ESMTP Mail\r\n", Wire(new SmtpReply(220, null, "localhost ESMTP Mail")));
    }

    [Fact]
    public void MultiLineReplyUsesHyphenOnEveryLineButTheLast()
    {
        var reply = new SmtpReply(250, null, ["localhost", "PIPELINING", "SIZE 1000", "HELP"]);

        Assert.Equal("250-localhost\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250 HELP\r\n", Wire(reply));
    }

    [Fact]
    public void MultiLineReplyRepeatsTheEnhancedCodeOnEveryLine()
    {
        var reply = new SmtpReply(550, "5.1.1", ["first", "second"]);

        Assert.Equal("550-5.1.1 first\r\n550 5.1.1 second\r\n", Wire(reply));
    }

    [Fact]
    public void EmptyTextKeepsTheSeparator()
    {
        Assert.Equal("334 \r\n", Wire(new SmtpReply(334, null, "")));
    }

    [Fact]
    public void TextIsWrittenAsUtf8()
    {
        var buffer = new ArrayBufferWriter<byte>();
        new SmtpReply(250, "2.1.5", "<用户@例子.test> ok").WriteTo(buffer);

        Assert.Equal(Encoding.UTF8.GetBytes("250 2.1.5 <用户@例子.test> ok\r\n"), buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void ToStringIsTheWireForm()
    {
        Assert.Equal("221 2.0.0 Bye\r\n", new SmtpReply(221, "2.0.0", "Bye").ToString());
    }

    [Theory]
    [InlineData(220, false)]
    [InlineData(250, false)]
    [InlineData(334, false)]
    [InlineData(354, false)]
    [InlineData(421, true)]
    [InlineData(452, true)]
    [InlineData(500, true)]
    [InlineData(554, true)]
    public void FourAndFiveHundredsAreErrors(int code, bool error)
    {
        Assert.Equal(error, new SmtpReply(code, null, "x").IsError);
    }

    [Theory]
    [InlineData("EHLO client.example", "EHLO", "client.example")]
    [InlineData("ehlo client.example", "EHLO", "client.example")]
    [InlineData("MAIL FROM:<a@b.example> SIZE=10", "MAIL", "FROM:<a@b.example> SIZE=10")]
    [InlineData("QUIT", "QUIT", "")]
    [InlineData("", "", "")]
    [InlineData("NOOP  two spaces", "NOOP", " two spaces")]
    public void CommandIsSplitIntoUpperCaseVerbAndArgument(string line, string verb, string argument)
    {
        var command = SmtpCommand.Parse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(line)));

        Assert.Equal(verb, command.Verb);
        Assert.Equal(argument, command.Argument);
    }

    private static string Wire(SmtpReply reply)
    {
        var buffer = new ArrayBufferWriter<byte>();
        reply.WriteTo(buffer);
        return Encoding.ASCII.GetString(buffer.WrittenSpan);
    }
}
