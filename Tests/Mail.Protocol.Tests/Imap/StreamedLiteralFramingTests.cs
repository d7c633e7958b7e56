using System.Buffers;
using System.Text;
using Mail.Frontends.Imap.Protocol;

namespace Mail.Protocol.Tests.Imap;

/// <summary>The framer leaves a literal the caller streams (APPEND's message) out of the command, keeping an empty one in its place.</summary>
public sealed class StreamedLiteralFramingTests
{
    private static readonly ImapLimits Limits = new(MaxLineLength: 100, MaxLiteralBytes: 1000, MaxCommandBytes: 200, MaxNesting: 4);

    private static FrameStatus Feed(CommandFramer framer, string input, out long consumed)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(input)));
        var status = framer.Read(ref reader);
        consumed = reader.Consumed;
        return status;
    }

    [Theory]
    [InlineData("{500}", true)]
    [InlineData("{500+}", false)]
    public void AStreamedLiteralIsTheCallersAndTheCommandKeepsAnEmptyOne(string announcement, bool synchronizing)
    {
        var framer = new CommandFramer(Limits) { StreamLiteral = (_, _, size) => size >= 100 };
        var literal = new string('x', 500);

        Assert.Equal(FrameStatus.Literal, Feed(framer, $"a1 APPEND INBOX (\\Seen) {announcement}\r\n{literal}\r\n", out var consumed));
        Assert.Equal(500, framer.PendingLiteral);
        Assert.Equal(synchronizing, framer.PendingSynchronizing);
        // Framing stopped right before the literal's octets: the caller reads them from the connection.
        Assert.Equal($"a1 APPEND INBOX (\\Seen) {announcement}\r\n".Length, consumed);

        framer.LiteralStreamed();
        Assert.Equal(FrameStatus.Complete, Feed(framer, "\r\n", out _));
        Assert.Equal("a1 APPEND INBOX (\\Seen) {0}\r\n\r\n", Encoding.ASCII.GetString(framer.Command.Span));
        // 500 octets counted against neither the command buffer nor its limit (200 here).
        Assert.True(framer.Command.Length < 100);
    }

    [Fact]
    public void ALiteralTheCallerDoesNotWantOrOneOverTheLimitIsFramedAsBefore()
    {
        var framer = new CommandFramer(Limits) { StreamLiteral = (_, _, size) => size >= 100 };
        Assert.Equal(FrameStatus.Continue, Feed(framer, "a1 APPEND INBOX {5}\r\n", out _));
        Assert.Equal(FrameStatus.Complete, Feed(framer, "hello\r\n", out _));
        Assert.Equal("a1 APPEND INBOX {5}\r\nhello\r\n", Encoding.ASCII.GetString(framer.Command.Span));

        framer.Reset();
        Assert.Equal(FrameStatus.Rejected, Feed(framer, "a2 APPEND INBOX {5000}\r\n", out _));
        Assert.True(framer.TooBig);
    }
}
