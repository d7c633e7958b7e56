using System.Buffers;
using System.Text;
using Mail.Frontends.Smtp.Protocol;

namespace Mail.Protocol.Tests.Smtp;

/// <summary>DATA body decoding (RFC 5321 §4.1.1.4, §4.5.2): dot-unstuffing, the end-of-data line, smuggling variants.</summary>
public sealed class DataDecoderTests
{
    private static readonly byte[] Pipelined = "MAIL FROM:<x@remote.example>\r\nRCPT TO:<victim@example.test>\r\n"u8.ToArray();

    [Fact]
    public void DotStuffedLinesLoseExactlyOneLeadingDot()
    {
        var run = Decode("..leading dot\r\n...two dots\r\n.x\r\nmid.dle\r\n..\r\n.\r\n"u8.ToArray());

        Assert.Equal(DataStatus.End, run.Status);
        Assert.Equal(".leading dot\r\n..two dots\r\nx\r\nmid.dle\r\n.\r\n", run.Text);
    }

    [Fact]
    public void EndOfDataLineIsNotPartOfTheMessageButTheCrlfBeforeItIs()
    {
        var input = "Subject: hi\r\n\r\nbody\r\n.\r\n"u8.ToArray();
        var run = Decode(input);

        Assert.Equal(DataStatus.End, run.Status);
        Assert.Equal("Subject: hi\r\n\r\nbody\r\n", run.Text);
        Assert.Equal(input.Length, run.Consumed);
    }

    [Fact]
    public void EmptyMessageEndsAtTheFirstLine()
    {
        var run = Decode(".\r\n"u8.ToArray());

        Assert.Equal(DataStatus.End, run.Status);
        Assert.Empty(run.Output);
        Assert.Equal(3, run.Consumed);
    }

    [Fact]
    public void EmptyLinesAreKept()
    {
        var run = Decode("\r\n\r\na\r\n\r\n.\r\n"u8.ToArray());

        Assert.Equal(DataStatus.End, run.Status);
        Assert.Equal("\r\n\r\na\r\n\r\n", run.Text);
    }

    [Fact]
    public void ConsumedStopsRightAfterTheTerminatorSoPipelinedCommandsRemain()
    {
        var body = "line\r\n.\r\n"u8.ToArray();
        var input = body.Concat(Pipelined).ToArray();
        var run = Decode(input);

        Assert.Equal(DataStatus.End, run.Status);
        Assert.Equal(body.Length, run.Consumed);
        Assert.Equal(Pipelined, input[run.Consumed..]);
        Assert.Equal("line\r\n", run.Text);
    }

    [Theory]
    [InlineData("a\r\n.x\r\nmore\r\n")]
    [InlineData("a\r\n. \r\n")]
    [InlineData("a\r\n..\r\n")]
    [InlineData("a.\r\n")]
    [InlineData("a\r\n.")]
    [InlineData("a\r\n.\r")]
    public void OnlyDotCrlfOnItsOwnLineEndsTheData(string body)
    {
        var input = Encoding.ASCII.GetBytes(body);
        var run = Decode(input);

        Assert.Equal(DataStatus.NeedMore, run.Status);
        Assert.Equal(input.Length, run.Consumed);
    }

    [Theory]
    [InlineData("hello\n.\nMAIL FROM:<x@remote.example>\r\n", DataStatus.BareLf)]
    [InlineData("hello\r\n.\nMAIL FROM:<x@remote.example>\r\n", DataStatus.BareLf)]
    [InlineData("hello\n.\r\nMAIL FROM:<x@remote.example>\r\n", DataStatus.BareLf)]
    [InlineData("hello\r.\rMAIL FROM:<x@remote.example>\r\n", DataStatus.BareCr)]
    [InlineData("hello\r\n.\rMAIL FROM:<x@remote.example>\r\n", DataStatus.BareCr)]
    [InlineData("hello\r.\r\nMAIL FROM:<x@remote.example>\r\n", DataStatus.BareCr)]
    [InlineData("\n.\r\n", DataStatus.BareLf)]
    [InlineData(".\n", DataStatus.BareLf)]
    [InlineData(".\r.\r\n", DataStatus.BareCr)]
    public void SmugglingEndOfDataVariantsAreRefused(string body, DataStatus expected)
    {
        var run = Decode(Encoding.ASCII.GetBytes(body));

        Assert.Equal(expected, run.Status);
    }

    [Fact]
    public void BareLfInsideABodyIsRefusedAtTheLf()
    {
        var input = "Subject: x\r\n\r\nfirst\nsecond\r\n.\r\n"u8.ToArray();
        var run = Decode(input);

        Assert.Equal(DataStatus.BareLf, run.Status);
        Assert.Equal(Array.IndexOf(input, (byte)'\n', "Subject: x\r\n\r\n".Length) + 1, run.Consumed);
    }

    [Fact]
    public void BareCrInsideABodyIsRefusedAtTheByteAfterIt()
    {
        var input = "first\rsecond\r\n.\r\n"u8.ToArray();
        var run = Decode(input);

        Assert.Equal(DataStatus.BareCr, run.Status);
        Assert.Equal("first\rs".Length, run.Consumed);
    }

    [Fact]
    public void EightBitAndNulBytesPassThroughUnchanged()
    {
        var content = new byte[] { 0xC3, 0xA9, 0x00, 0xFF, 0x80, (byte)'.', (byte)'\r', (byte)'\n' };
        var run = Decode([.. content, .. "..\r\n.\r\n"u8]);

        Assert.Equal(DataStatus.End, run.Status);
        Assert.Equal([.. content, .. ".\r\n"u8], run.Output);
    }

    [Fact]
    public void TerminatorSplitAcrossChunksIsFoundAndConsumedCountsOnlyTheLastChunk()
    {
        var decoder = new DataDecoder();
        var output = new ArrayBufferWriter<byte>();

        Assert.Equal(DataStatus.NeedMore, decoder.Decode("x\r"u8, output, out var first));
        Assert.Equal(2, first);
        Assert.Equal(DataStatus.NeedMore, decoder.Decode("\n."u8, output, out var second));
        Assert.Equal(2, second);
        Assert.Equal(DataStatus.NeedMore, decoder.Decode("\r"u8, output, out var third));
        Assert.Equal(1, third);
        Assert.Equal(DataStatus.End, decoder.Decode("\nNOOP\r\n"u8, output, out var fourth));
        Assert.Equal(1, fourth);
        Assert.Equal("x\r\n", Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Fact]
    public void EmptyChunkNeedsMoreAndConsumesNothing()
    {
        var decoder = new DataDecoder();
        var output = new ArrayBufferWriter<byte>();

        Assert.Equal(DataStatus.NeedMore, decoder.Decode(ReadOnlySpan<byte>.Empty, output, out var consumed));
        Assert.Equal(0, consumed);
        Assert.Equal(0, output.WrittenCount);
    }

    [Theory]
    [InlineData("Subject: a\r\n\r\n..x\r\n.\r\n.\r\nNOOP\r\n")]
    [InlineData(".\r\n")]
    [InlineData("\r\n.\r\n")]
    [InlineData("a\r\n.b\r\n..\r\n...\r\nlast\r\n.\r\nQUIT\r\n")]
    [InlineData("one\r\ntwo\nthree\r\n.\r\n")]
    [InlineData("one\r\n.\ntwo\r\n.\r\n")]
    [InlineData("one\rtwo\r\n.\r\n")]
    [InlineData("never ends\r\n.. not yet\r\n")]
    public void ByteByByteAndRandomSplitsGiveTheSameResultAsOneChunk(string text)
    {
        var input = Encoding.ASCII.GetBytes(text);
        var whole = Decode(input);

        AssertSameRun(whole, DecodeChunks(input, Enumerable.Range(1, input.Length).ToArray()));
        var random = new Random(5321);
        for (var round = 0; round < 200; round++)
        {
            AssertSameRun(whole, DecodeChunks(input, ByteSequences.RandomCuts(random, input.Length, random.Next(0, 6))));
        }
    }

    [Fact]
    public void LargeBodyDecodesTheSameInAnySplit()
    {
        var random = new Random(3030);
        var builder = new StringBuilder();
        for (var i = 0; i < 400; i++)
        {
            builder.Append(random.Next(4) == 0 ? "." : "").Append(random.Next(3) == 0 ? "." : "").Append(new string('x', random.Next(1, 90))).Append("\r\n");
        }
        builder.Append(".\r\nQUIT\r\n");
        var input = Encoding.ASCII.GetBytes(builder.ToString());
        var whole = Decode(input);
        Assert.Equal(DataStatus.End, whole.Status);
        Assert.Equal(input.Length - "QUIT\r\n".Length, whole.Consumed);

        AssertSameRun(whole, DecodeChunks(input, Enumerable.Range(1, input.Length).ToArray()));
        for (var round = 0; round < 50; round++)
        {
            AssertSameRun(whole, DecodeChunks(input, ByteSequences.RandomCuts(random, input.Length, random.Next(1, 40))));
        }
    }

    private static void AssertSameRun(Run expected, Run actual)
    {
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Consumed, actual.Consumed);
        Assert.Equal(expected.Output, actual.Output);
    }

    private static Run Decode(byte[] input) => DecodeChunks(input, []);

    /// <summary>Feeds the input cut at <paramref name="cuts"/>, stopping at the first chunk that ends the data, as the DATA handler does.</summary>
    private static Run DecodeChunks(byte[] input, int[] cuts)
    {
        var decoder = new DataDecoder();
        var output = new ArrayBufferWriter<byte>();
        var status = DataStatus.NeedMore;
        var consumed = 0;
        var start = 0;
        foreach (var end in cuts.Where(c => c > 0 && c < input.Length).Append(input.Length))
        {
            if (end < start) continue;
            status = decoder.Decode(input.AsSpan(start, end - start), output, out var used);
            Assert.InRange(used, 0, end - start);
            consumed += used;
            if (status != DataStatus.NeedMore) break;
            Assert.Equal(end - start, used);
            start = end;
        }
        return new Run(status, consumed, output.WrittenSpan.ToArray());
    }

    private sealed record Run(DataStatus Status, int Consumed, byte[] Output)
    {
        public string Text => Encoding.ASCII.GetString(Output);
    }
}
