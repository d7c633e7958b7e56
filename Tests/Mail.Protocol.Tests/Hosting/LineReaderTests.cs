using System.Buffers;
using System.Text;
using Mail.Frontends.Hosting;
using Mail.Protocol.Tests.Smtp;

namespace Mail.Protocol.Tests.Hosting;

/// <summary>
/// The one line reader of SMTP, POP3 and IMAP (RFC 5321 §2.3.8, §4.5.3.1.4): CRLF or a bare LF end a line, a bare CR
/// never does; a length bound that counts the line end; an over-long line skipped whole.
/// </summary>
public sealed class LineReaderTests
{
    private const int Max = 16;

    [Fact]
    public void CrlfLineIsReturnedWithoutItsTerminator()
    {
        var reader = new SequenceReader<byte>(Bytes("EHLO client\r\nNOOP\r\n"));

        Assert.Equal(LineStatus.Complete, LineReader.TryRead(ref reader, 2048, out var line));
        Assert.Equal("EHLO client", Text(line));
        Assert.Equal("NOOP\r\n".Length, reader.Remaining);
    }

    [Fact]
    public void LfOnlyLineIsAccepted()
    {
        var reader = new SequenceReader<byte>(Bytes("NOOP\nQUIT\n"));

        Assert.Equal(LineStatus.Complete, LineReader.TryRead(ref reader, 2048, out var first));
        Assert.Equal("NOOP", Text(first));
        Assert.Equal(LineStatus.Complete, LineReader.TryRead(ref reader, 2048, out var second));
        Assert.Equal("QUIT", Text(second));
        Assert.True(reader.End);
    }

    [Fact]
    public void BareCrDoesNotEndALineEvenAtTheEndOfInput()
    {
        var reader = new SequenceReader<byte>(Bytes("NOOP\rQUIT\r"));

        Assert.Equal(LineStatus.Incomplete, LineReader.TryRead(ref reader, 2048, out _));
        Assert.Equal(0, reader.Consumed);
    }

    [Fact]
    public void BareCrInsideALineEndedByABareLfStaysInTheLine()
    {
        var reader = new SequenceReader<byte>(Bytes("MAIL FROM:<a@b>\rRCPT TO:<c@d>\n"));

        Assert.Equal(LineStatus.Complete, LineReader.TryRead(ref reader, 2048, out var line));
        Assert.Equal("MAIL FROM:<a@b>\rRCPT TO:<c@d>", Text(line));
        Assert.True(reader.End);
    }

    [Fact]
    public void BareLfCountsOneOctetTowardsTheLimit()
    {
        var fits = new SequenceReader<byte>(Bytes(new string('x', Max - 1) + "\n"));
        var over = new SequenceReader<byte>(Bytes(new string('x', Max) + "\n"));

        Assert.Equal(LineStatus.Complete, LineReader.TryRead(ref fits, Max, out _));
        Assert.Equal(LineStatus.TooLong, LineReader.TryRead(ref over, Max, out _));
    }

    [Fact]
    public void PipelinedLinesAreReadOneByOneInOrder()
    {
        var reader = new SequenceReader<byte>(Bytes("MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nDATA\r\n"));
        var lines = new List<string>();
        while (LineReader.TryRead(ref reader, 2048, out var line) == LineStatus.Complete) lines.Add(Text(line));

        Assert.Equal(["MAIL FROM:<a@b.example>", "RCPT TO:<c@d.example>", "DATA"], lines);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    public void EmptyLineIsCompleteAndEmpty(string input)
    {
        var reader = new SequenceReader<byte>(Bytes(input));

        Assert.Equal(LineStatus.Complete, LineReader.TryRead(ref reader, 2048, out var line));
        Assert.Equal(0, line.Length);
    }

    [Fact]
    public void CrInsideALineIsKeptAndOnlyTheCrBeforeLfIsStripped()
    {
        var reader = new SequenceReader<byte>(Bytes("NO\rOP\r\r\n"));

        Assert.Equal(LineStatus.Complete, LineReader.TryRead(ref reader, 2048, out var line));
        Assert.Equal("NO\rOP\r", Text(line));
    }

    [Fact]
    public void PartialLineIsIncompleteAndConsumesNothing()
    {
        var reader = new SequenceReader<byte>(Bytes("EHLO cli"));

        Assert.Equal(LineStatus.Incomplete, LineReader.TryRead(ref reader, 2048, out _));
        Assert.Equal(0, reader.Consumed);
    }

    [Fact]
    public void LineSplitAcrossSegmentsIsJoinedAndCrBeforeLfInAnotherSegmentIsStripped()
    {
        var reader = new SequenceReader<byte>(ByteSequences.Of("EH"u8.ToArray(), "LO cl"u8.ToArray(), "ient\r"u8.ToArray(), "\nNOOP"u8.ToArray()));

        Assert.Equal(LineStatus.Complete, LineReader.TryRead(ref reader, 2048, out var line));
        Assert.Equal("EHLO client", Text(line));
        Assert.Equal(4, reader.Remaining);
    }

    [Fact]
    public void EverySplitOfTheInputGivesTheSameLines()
    {
        var input = Encoding.ASCII.GetBytes("EHLO a\r\nMAIL FROM:<x@y.example>\r\n\r\nNOOP\nRSET\r\n");
        var expected = ReadAll(new ReadOnlySequence<byte>(input));
        var random = new Random(2920);
        for (var round = 0; round < 300; round++)
        {
            Assert.Equal(expected, ReadAll(ByteSequences.Split(input, ByteSequences.RandomCuts(random, input.Length, random.Next(1, 10)))));
        }
        Assert.Equal(["EHLO a", "MAIL FROM:<x@y.example>", "", "NOOP", "RSET"], expected);
    }

    [Fact]
    public void LineOverTheLimitIsTooLongAndTheNextLineIsStillRead()
    {
        var reader = new SequenceReader<byte>(Bytes(new string('x', 40) + "\r\nNOOP\r\n"));

        Assert.Equal(LineStatus.TooLong, LineReader.TryRead(ref reader, Max, out _));
        Assert.Equal(LineStatus.Complete, LineReader.TryRead(ref reader, Max, out var next));
        Assert.Equal("NOOP", Text(next));
    }

    [Fact]
    public void UnterminatedInputOverTheLimitIsTooLongBeforeTheLineEnds()
    {
        var reader = new SequenceReader<byte>(Bytes(new string('x', 40)));

        Assert.Equal(LineStatus.TooLong, LineReader.TryRead(ref reader, Max, out _));
    }

    [Fact]
    public void LineOfExactlyTheLimitIncludingCrlfIsAccepted()
    {
        var line = new string('x', Max - 2);
        var reader = new SequenceReader<byte>(Bytes(line + "\r\n"));

        Assert.Equal(LineStatus.Complete, LineReader.TryRead(ref reader, Max, out var read));
        Assert.Equal(line, Text(read));
    }

    [Fact]
    public void LineOneOctetOverTheLimitIncludingCrlfIsTooLong()
    {
        var reader = new SequenceReader<byte>(Bytes(new string('x', Max - 1) + "\r\n"));

        Assert.Equal(LineStatus.TooLong, LineReader.TryRead(ref reader, Max, out _));
    }

    [Fact]
    public void UnterminatedInputOfExactlyTheLimitIsAlreadyTooLong()
    {
        var reader = new SequenceReader<byte>(Bytes(new string('x', Max)));

        Assert.Equal(LineStatus.TooLong, LineReader.TryRead(ref reader, Max, out _));
    }

    [Fact]
    public void SkipLineAdvancesPastTheNextLf()
    {
        var reader = new SequenceReader<byte>(Bytes("rest of a long line\r\nNOOP\r\n"));

        Assert.True(LineReader.TrySkipLine(ref reader));
        Assert.Equal("NOOP\r\n".Length, reader.Remaining);
    }

    [Fact]
    public void SkipLineWithoutLfSkipsEverythingAndReportsFalse()
    {
        var reader = new SequenceReader<byte>(ByteSequences.Of("junk"u8.ToArray(), "more junk"u8.ToArray()));

        Assert.False(LineReader.TrySkipLine(ref reader));
        Assert.True(reader.End);
    }

    [Fact]
    public void SkipLineFindsLfInALaterSegment()
    {
        var reader = new SequenceReader<byte>(ByteSequences.Of("junk"u8.ToArray(), "ju\r"u8.ToArray(), "\nQUIT\r\n"u8.ToArray()));

        Assert.True(LineReader.TrySkipLine(ref reader));
        Assert.Equal("QUIT\r\n".Length, reader.Remaining);
    }

    private static List<string> ReadAll(ReadOnlySequence<byte> input)
    {
        var reader = new SequenceReader<byte>(input);
        var lines = new List<string>();
        while (LineReader.TryRead(ref reader, 2048, out var line) == LineStatus.Complete) lines.Add(Text(line));
        return lines;
    }

    private static ReadOnlySequence<byte> Bytes(string text) => new(Encoding.ASCII.GetBytes(text));

    private static string Text(ReadOnlySequence<byte> line) => Encoding.ASCII.GetString(line);
}
