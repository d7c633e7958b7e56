using Mail.Frontends.Hosting;
using System.Buffers;
using System.Text;
using Mail.Frontends.Pop3.Protocol;
using Mail.Protocol.Tests.Smtp;

namespace Mail.Protocol.Tests.Pop3;

/// <summary>
/// Seeded random input through every POP3 codec: nothing throws, parsed commands are well formed, and the
/// encoder and TOP filter give the same result however the input is split; stuffed output decodes back.
/// </summary>
public sealed class Pop3CodecFuzzTests
{
    private static readonly string[] Keywords = ["USER", "PASS", "STAT", "LIST", "RETR", "DELE", "NOOP", "RSET", "QUIT", "TOP", "UIDL", "CAPA", "STLS", "AUTH"];

    [Fact]
    public void RandomBytesNeverMakeTheLineReaderOrParserThrow()
    {
        var random = new Random(19390501);
        for (var i = 0; i < 3000; i++)
        {
            var input = RandomInput(random);
            var reader = new SequenceReader<byte>(ByteSequences.Split(input, ByteSequences.RandomCuts(random, input.Length, random.Next(0, 5))));
            var guard = 0;
            while (!reader.End && guard++ <= input.Length)
            {
                var status = LineReader.TryRead(ref reader, 255, out var line);
                if (status == LineStatus.Incomplete) break;
                if (status == LineStatus.TooLong)
                {
                    LineReader.TrySkipLine(ref reader);
                    continue;
                }
                Assert.True(line.Length < 255);
                if (Pop3Command.TryParse(line, out var command, out var error))
                {
                    Assert.Null(error);
                    Assert.InRange(command.Keyword.Length, 3, 4);
                    Assert.True(command.Keyword.All(char.IsAsciiLetterUpper));
                    Assert.DoesNotContain(command.Argument, char.IsControl);
                    foreach (var argument in command.Arguments)
                    {
                        if (MessageNumber.TryParse(argument, out var number)) Assert.True(number >= 1);
                        if (MessageNumber.TryParseCount(argument, out var count)) Assert.True(count >= 0);
                    }
                }
                else
                {
                    Assert.Null(command);
                    Assert.False(string.IsNullOrEmpty(error));
                }
            }
        }
    }

    [Fact]
    public void EncoderOutputDoesNotDependOnSplitsAndUnstuffsToTheCrlfNormalizedInput()
    {
        var random = new Random(1939);
        for (var i = 0; i < 2000; i++)
        {
            var input = RandomInput(random);
            var whole = Encode(input, []);
            var split = Encode(input, ByteSequences.RandomCuts(random, input.Length, random.Next(1, 8)));

            Assert.Equal(whole, split);
            Assert.EndsWith(".\r\n", Encoding.Latin1.GetString(whole));
            Assert.Equal(Normalize(input), Unstuff(whole));
        }
    }

    [Fact]
    public void TopFilterCutDoesNotDependOnSplitsAndIsAPrefix()
    {
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var input = RandomInput(random);
            var lines = random.Next(0, 5);
            var whole = new TopFilter(lines).Take(input);
            var filter = new TopFilter(lines);
            var taken = 0;
            var start = 0;
            foreach (var end in ByteSequences.RandomCuts(random, input.Length, random.Next(1, 8)).Append(input.Length))
            {
                taken += filter.Take(input.AsSpan(start, end - start));
                start = end;
            }

            Assert.Equal(whole, taken);
            Assert.InRange(whole, 0, input.Length);
        }
    }

    /// <summary>Binary junk, command-like text, CR, LF and dots, "." lines, and sometimes very long runs.</summary>
    private static byte[] RandomInput(Random random)
    {
        var bytes = new List<byte>();
        var pieces = random.Next(1, 14);
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
                    var keyword = Keywords[random.Next(Keywords.Length)];
                    bytes.AddRange(Encoding.ASCII.GetBytes(random.Next(3) switch { 0 => keyword.ToLowerInvariant(), 1 => keyword[..2], _ => keyword }));
                    bytes.AddRange(Encoding.UTF8.GetBytes(random.Next(4) switch { 0 => " 1", 1 => " 1 10", 2 => "  0", _ => " été\0" }));
                    break;
                case 2:
                    bytes.AddRange("\r\n"u8.ToArray());
                    break;
                case 3:
                    bytes.Add(random.Next(3) switch { 0 => (byte)'\r', 1 => (byte)'\n', _ => (byte)'.' });
                    break;
                case 4:
                    bytes.AddRange(random.Next(4) switch { 0 => "\r\n.\r\n"u8.ToArray(), 1 => "\n.\n"u8.ToArray(), 2 => "\r\n..\r\n"u8.ToArray(), _ => "\r\n\r\n"u8.ToArray() });
                    break;
                default:
                    bytes.AddRange(Enumerable.Repeat((byte)random.Next(32, 127), random.Next(0, 2) == 0 ? random.Next(0, 100) : random.Next(250, 2000)));
                    break;
            }
        }
        return [.. bytes];
    }

    private static byte[] Encode(byte[] input, int[] cuts)
    {
        var encoder = new DotStuffingEncoder();
        var output = new ArrayBufferWriter<byte>();
        var start = 0;
        foreach (var end in cuts.Where(c => c > 0 && c < input.Length).Append(input.Length))
        {
            encoder.Encode(input.AsSpan(start, end - start), output);
            start = end;
        }
        encoder.Complete(output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>What the encoder must carry: every LF preceded by CR, and a final line end.</summary>
    private static byte[] Normalize(byte[] input)
    {
        var output = new List<byte>();
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] == '\n' && (i == 0 || input[i - 1] != '\r')) output.Add((byte)'\r');
            output.Add(input[i]);
        }
        if (output.Count > 0 && output[^1] != '\n')
        {
            if (output[^1] != '\r') output.Add((byte)'\r');
            output.Add((byte)'\n');
        }
        return [.. output];
    }

    /// <summary>A client's view (RFC 1939 §3): lines up to the "." line, each leading dot removed.</summary>
    private static byte[] Unstuff(byte[] wire)
    {
        var output = new List<byte>();
        var start = 0;
        while (true)
        {
            var lf = Array.IndexOf(wire, (byte)'\n', start);
            Assert.True(lf > 0 && wire[lf - 1] == '\r', "every line of the response ends with CRLF");
            var line = wire.AsSpan(start, lf + 1 - start);
            if (line.SequenceEqual(".\r\n"u8))
            {
                Assert.Equal(wire.Length, lf + 1);
                return [.. output];
            }
            output.AddRange((line[0] == '.' ? line[1..] : line).ToArray());
            start = lf + 1;
        }
    }
}
