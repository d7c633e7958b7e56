using System.Buffers;
using System.Text;
using Mail.Frontends.Pop3.Protocol;
using Mail.Protocol.Tests.Smtp;

namespace Mail.Protocol.Tests.Pop3;

/// <summary>Command line framing (RFC 1939 §3, RFC 2449 §4): CRLF or LF, a length bound, skipping an over-long line.</summary>
public sealed class Pop3LineReaderTests
{
    [Fact]
    public void PipelinedCrlfLinesAreReadInOrderWithoutTerminators()
    {
        var reader = new SequenceReader<byte>(Bytes("STAT\r\nLIST\nRETR 1\r\n"));
        var lines = new List<string>();
        while (Pop3LineReader.TryRead(ref reader, 255, out var line) == Pop3LineStatus.Complete) lines.Add(Text(line));

        Assert.Equal(["STAT", "LIST", "RETR 1"], lines);
        Assert.True(reader.End);
    }

    [Fact]
    public void LineSplitAcrossSegmentsIsJoined()
    {
        var reader = new SequenceReader<byte>(ByteSequences.Of("TO"u8.ToArray(), "P 1 "u8.ToArray(), "5\r"u8.ToArray(), "\n"u8.ToArray()));

        Assert.Equal(Pop3LineStatus.Complete, Pop3LineReader.TryRead(ref reader, 255, out var line));
        Assert.Equal("TOP 1 5", Text(line));
    }

    [Fact]
    public void PartialLineIsIncompleteAndConsumesNothing()
    {
        var reader = new SequenceReader<byte>(Bytes("USER ali"));

        Assert.Equal(Pop3LineStatus.Incomplete, Pop3LineReader.TryRead(ref reader, 255, out _));
        Assert.Equal(0, reader.Consumed);
    }

    [Fact]
    public void LimitCountsTheCrlf()
    {
        var exact = new SequenceReader<byte>(Bytes(new string('A', 8) + "\r\n"));
        Assert.Equal(Pop3LineStatus.Complete, Pop3LineReader.TryRead(ref exact, 10, out _));

        var over = new SequenceReader<byte>(Bytes(new string('A', 9) + "\r\n"));
        Assert.Equal(Pop3LineStatus.TooLong, Pop3LineReader.TryRead(ref over, 10, out _));
    }

    [Fact]
    public void LimitReachedWithoutLineEndIsTooLongAndTheRestIsSkippedToTheNextLf()
    {
        var reader = new SequenceReader<byte>(Bytes(new string('A', 20)));
        Assert.Equal(Pop3LineStatus.TooLong, Pop3LineReader.TryRead(ref reader, 10, out _));

        var rest = new SequenceReader<byte>(Bytes("AAAA\r\nNOOP\r\n"));
        Assert.True(Pop3LineReader.TrySkipLine(ref rest));
        Assert.Equal(Pop3LineStatus.Complete, Pop3LineReader.TryRead(ref rest, 10, out var next));
        Assert.Equal("NOOP", Text(next));
    }

    [Fact]
    public void SkipWithoutLfConsumesEverything()
    {
        var reader = new SequenceReader<byte>(Bytes("AAAA"));

        Assert.False(Pop3LineReader.TrySkipLine(ref reader));
        Assert.True(reader.End);
    }

    private static ReadOnlySequence<byte> Bytes(string text) => new(Encoding.ASCII.GetBytes(text));

    private static string Text(ReadOnlySequence<byte> line) => Encoding.ASCII.GetString(line);
}
