using Mail.Frontends.Hosting;
using System.Buffers;
using System.Text;
using Mail.Frontends.Smtp.Protocol;

namespace Mail.Protocol.Tests.Smtp;

/// <summary>Random input through every SMTP codec: nothing throws, and the DATA decoder's result does not depend on how input is split.</summary>
public sealed class SmtpCodecFuzzTests
{
    private static readonly string[] Verbs = ["EHLO", "HELO", "MAIL FROM:", "RCPT TO:", "DATA", "BDAT", "AUTH", "STARTTLS", "RSET", "NOOP", "QUIT", "VRFY"];

    [Fact]
    public void RandomBytesNeverMakeTheCommandCodecsThrow()
    {
        var random = new Random(20251124);
        for (var i = 0; i < 2000; i++)
        {
            var input = RandomInput(random);
            var reader = new SequenceReader<byte>(ByteSequences.Split(input, ByteSequences.RandomCuts(random, input.Length, random.Next(0, 4))));
            var guard = 0;
            while (!reader.End && guard++ <= input.Length)
            {
                var status = LineReader.TryRead(ref reader, 512, out var line);
                if (status == LineStatus.Incomplete) break;
                if (status == LineStatus.TooLong)
                {
                    LineReader.TrySkipLine(ref reader);
                    continue;
                }
                Assert.True(line.Length <= 512);
                var command = SmtpCommand.Parse(line);
                Assert.Equal(command.Verb.ToUpperInvariant(), command.Verb);
                foreach (var (keyword, allowNull) in new[] { ("FROM", true), ("TO", false) })
                {
                    var (path, error) = PathArgument.Parse(command.Argument, keyword, allowNull);
                    Assert.True(path is null != (error is null), "exactly one of path and error");
                    if (path is not null) Assert.InRange(path.Address.Length, allowNull ? 0 : 1, PathArgument.MaxPathLength);
                }
            }
        }
    }

    [Fact]
    public void RandomBytesNeverMakeTheDataDecoderThrowAndSplitsDoNotChangeTheResult()
    {
        var random = new Random(5321);
        for (var i = 0; i < 2000; i++)
        {
            var input = RandomInput(random);
            var whole = Decode(input, []);
            var split = Decode(input, ByteSequences.RandomCuts(random, input.Length, random.Next(1, 8)));

            Assert.Equal(whole.Status, split.Status);
            Assert.Equal(whole.Consumed, split.Consumed);
            Assert.Equal(whole.Output, split.Output);
            Assert.InRange(whole.Consumed, 0, input.Length);
            Assert.True(whole.Output.Length <= whole.Consumed, "the decoder never adds bytes");
            if (whole.Status == DataStatus.End)
            {
                Assert.True(input.AsSpan(0, whole.Consumed).EndsWith("\r\n.\r\n"u8) || whole.Consumed == 3 && input.AsSpan(0, 3).SequenceEqual(".\r\n"u8));
            }
        }
    }

    /// <summary>Binary junk, command-like text with CR, LF and dots mixed in, and sometimes very long runs.</summary>
    private static byte[] RandomInput(Random random)
    {
        var bytes = new List<byte>();
        var pieces = random.Next(1, 12);
        for (var p = 0; p < pieces; p++)
        {
            switch (random.Next(6))
            {
                case 0:
                    var junk = new byte[random.Next(0, 64)];
                    random.NextBytes(junk);
                    bytes.AddRange(junk);
                    break;
                case 1:
                    bytes.AddRange(Encoding.ASCII.GetBytes(Verbs[random.Next(Verbs.Length)]));
                    bytes.AddRange(Encoding.UTF8.GetBytes(random.Next(3) switch { 0 => "<a@b.example> SIZE=1 SIZE=2", 1 => "<@r:x@[1.2.3.4]>", _ => "<>" }));
                    break;
                case 2:
                    bytes.AddRange("\r\n"u8.ToArray());
                    break;
                case 3:
                    bytes.Add(random.Next(3) switch { 0 => (byte)'\r', 1 => (byte)'\n', _ => (byte)'.' });
                    break;
                case 4:
                    bytes.AddRange(random.Next(4) switch { 0 => "\r\n.\r\n"u8.ToArray(), 1 => "\n.\n"u8.ToArray(), 2 => "\r\n..\r\n"u8.ToArray(), _ => "\r.\r"u8.ToArray() });
                    break;
                default:
                    bytes.AddRange(Enumerable.Repeat((byte)random.Next(32, 127), random.Next(0, 2) == 0 ? random.Next(0, 100) : random.Next(500, 3000)));
                    break;
            }
        }
        return [.. bytes];
    }

    private static (DataStatus Status, int Consumed, byte[] Output) Decode(byte[] input, int[] cuts)
    {
        var decoder = new DataDecoder();
        var output = new ArrayBufferWriter<byte>();
        var status = DataStatus.NeedMore;
        var consumed = 0;
        var start = 0;
        foreach (var end in cuts.Where(c => c > 0 && c < input.Length).Append(input.Length))
        {
            status = decoder.Decode(input.AsSpan(start, end - start), output, out var used);
            consumed += used;
            if (status != DataStatus.NeedMore) break;
            start = end;
        }
        return (status, consumed, output.WrittenSpan.ToArray());
    }
}
