using System.Buffers;
using System.Text;
using Mail.Frontends.Imap.Protocol;

namespace Mail.Protocol.Tests.Imap;

public sealed class CommandFramerTests
{
    private static readonly ImapLimits Limits = new(MaxLineLength: 100, MaxLiteralBytes: 50, MaxCommandBytes: 200, MaxNesting: 4);

    private static (FrameStatus Status, long Consumed) Feed(CommandFramer framer, string input)
    {
        var sequence = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(input));
        var reader = new SequenceReader<byte>(sequence);
        var status = framer.Read(ref reader);
        return (status, reader.Consumed);
    }

    [Fact]
    public void ASimpleLineIsACompleteCommand()
    {
        var framer = new CommandFramer(Limits);
        Assert.Equal(FrameStatus.Complete, Feed(framer, "a1 NOOP\r\nnext").Status);
        Assert.Equal("a1 NOOP\r\n", Encoding.ASCII.GetString(framer.Command.Span));
        Assert.Equal("a1", framer.Tag);
    }

    [Fact]
    public void APartialLineNeedsMoreInput()
    {
        var framer = new CommandFramer(Limits);
        Assert.Equal((FrameStatus.Incomplete, 0L), Feed(framer, "a1 NO"));
    }

    [Fact]
    public void ASynchronizingLiteralAsksForContinuationThenCompletes()
    {
        var framer = new CommandFramer(Limits);
        var (status, consumed) = Feed(framer, "a1 LOGIN {5}\r\n");
        Assert.Equal(FrameStatus.Continue, status);
        Assert.Equal(14, consumed);
        Assert.Equal(FrameStatus.Complete, Feed(framer, "alice secret\r\n").Status);
        Assert.Equal("a1 LOGIN {5}\r\nalice secret\r\n", Encoding.ASCII.GetString(framer.Command.Span));
    }

    [Fact]
    public void ANonSynchronizingLiteralNeedsNoContinuation()
    {
        var framer = new CommandFramer(Limits);
        Assert.Equal(FrameStatus.Complete, Feed(framer, "a1 LOGIN {5+}\r\nalice {6-}\r\nsecret\r\n").Status);
        Assert.Equal("a1 LOGIN {5+}\r\nalice {6-}\r\nsecret\r\n", Encoding.ASCII.GetString(framer.Command.Span));
    }

    [Fact]
    public void LiteralOctetsMayContainCrlfAndBraces()
    {
        var framer = new CommandFramer(Limits);
        Assert.Equal(FrameStatus.Complete, Feed(framer, "a1 X {7+}\r\n{1}\r\n\r\n\r\n").Status);
        Assert.Equal("a1 X {7+}\r\n{1}\r\n\r\n\r\n", Encoding.ASCII.GetString(framer.Command.Span));
    }

    [Fact]
    public void AnOversizedSynchronizingLiteralIsRefusedAtOnce()
    {
        var framer = new CommandFramer(Limits);
        Assert.Equal(FrameStatus.Rejected, Feed(framer, "a1 APPEND INBOX {51}\r\n").Status);
        Assert.True(framer.TooBig);
        Assert.Equal("a1", framer.Tag);
        Assert.Equal("Literal of 51 octets is larger than 50", framer.Error);
    }

    [Fact]
    public void AnOversizedNonSynchronizingLiteralIsSkippedThenRefused()
    {
        var framer = new CommandFramer(Limits);
        var input = "a1 APPEND INBOX {60+}\r\n" + new string('x', 60) + "\r\na2 NOOP\r\n";
        var (status, consumed) = Feed(framer, input);
        Assert.Equal(FrameStatus.Rejected, status);
        Assert.Equal(input.Length - "a2 NOOP\r\n".Length, consumed);
        Assert.Equal(0, framer.Command.Length);
    }

    [Fact]
    public void AHugeNonSynchronizingLiteralClosesTheConnection()
    {
        var framer = new CommandFramer(Limits);
        Assert.Equal(FrameStatus.Fatal, Feed(framer, "a1 APPEND INBOX {4000000000+}\r\n").Status);
    }

    [Fact]
    public void AnOverLongLineIsSkippedToItsEnd()
    {
        var framer = new CommandFramer(Limits);
        Assert.Equal(FrameStatus.Incomplete, Feed(framer, "a1 NOOP " + new string('x', 150)).Status);
        Assert.Equal(FrameStatus.Rejected, Feed(framer, "xxxx\r\n").Status);
        Assert.Equal("Line longer than 100 octets", framer.Error);
        framer.Reset();
        Assert.Equal(FrameStatus.Complete, Feed(framer, "a2 NOOP\r\n").Status);
    }

    [Theory]
    [InlineData("a {12}", true, 12L, true)]
    [InlineData("a {12+}", true, 12L, false)]
    [InlineData("a {12-}", true, 12L, false)]
    [InlineData("a ~{3}", true, 3L, true)]
    [InlineData("a {}", false, 0L, true)]
    [InlineData("a {x}", false, 0L, true)]
    [InlineData("a 12}", false, 0L, true)]
    [InlineData("a {99999999999}", false, 0L, true)]
    public void LiteralAnnouncementsAreRecognized(string line, bool expected, long size, bool synchronizing)
    {
        var found = CommandFramer.TryLiteral(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(line)), out var n, out var sync);
        Assert.Equal(expected, found);
        if (expected)
        {
            Assert.Equal(size, n);
            Assert.Equal(synchronizing, sync);
        }
    }
}
