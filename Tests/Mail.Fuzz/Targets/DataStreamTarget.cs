using System.Buffers;
using System.Text;
using Mail.Frontends.Pop3.Protocol;
using Mail.Frontends.Smtp.Protocol;
using Mail.Frontends.Smtp.Session;
using Mail.Security.Results;
using MimeKit;

namespace Mail.Fuzz.Targets;

/// <summary>
/// The message stream: the DATA decoder (RFC 5321 §4.1.1.4, §4.5.2: dot-unstuffing, only CRLF "." CRLF ends, bare CR
/// and LF refused) against a plain reference decoder, the BDAT bare line-end check, the removal of forged
/// Authentication-Results fields (RFC 8601 §5), and POP3's dot-stuffing (RFC 1939 §3) decoded back by the DATA decoder.
/// Each streaming piece must give the same answer whether the input comes whole or a byte at a time.
/// </summary>
public static class DataStreamTarget
{
    private const string OurAuthServId = "mx.fuzz.test";

    /// <summary>Runs every check on <paramref name="input"/>.</summary>
    public static void Run(ReadOnlySpan<byte> input)
    {
        Decoder(input);
        BareLineEnds(input);
        DotStuffing(input);
        ForgedResults(input);
    }

    private static void Decoder(ReadOnlySpan<byte> input)
    {
        var expected = ReferenceDecode(input);
        var whole = Decode(input, input.Length);
        var bytewise = Decode(input, 1);
        FuzzInvariantException.Check(whole.Status == expected.Status, $"DATA status {whole.Status}, reference {expected.Status}");
        FuzzInvariantException.Check(whole.Consumed == expected.Consumed, $"DATA consumed {whole.Consumed}, reference {expected.Consumed}");
        if (expected.Status is DataStatus.End or DataStatus.NeedMore)
        {
            FuzzInvariantException.Check(whole.Output.AsSpan().SequenceEqual(expected.Output), "DATA output differs from the reference");
        }
        FuzzInvariantException.Check(bytewise.Status == whole.Status && bytewise.Consumed == whole.Consumed, "DATA depends on how the input arrives");
        FuzzInvariantException.Check(bytewise.Output.AsSpan().SequenceEqual(whole.Output), "DATA output depends on how the input arrives");
        if (whole.Status == DataStatus.End) FuzzInvariantException.Check(HasOnlyCrlf(whole.Output), "decoded message holds a bare CR or LF");
    }

    private sealed record Decoded(DataStatus Status, int Consumed, byte[] Output);

    private static Decoded Decode(ReadOnlySpan<byte> input, int chunk)
    {
        var decoder = new DataDecoder();
        var output = new ArrayBufferWriter<byte>();
        var consumed = 0;
        var status = DataStatus.NeedMore;
        while (consumed < input.Length)
        {
            var piece = input.Slice(consumed, Math.Min(chunk, input.Length - consumed));
            status = decoder.Decode(piece, output, out var used);
            FuzzInvariantException.Check(used >= 0 && used <= piece.Length, "decoder consumed outside its input");
            FuzzInvariantException.Check(status != DataStatus.NeedMore || used == piece.Length, "NeedMore with input left over");
            consumed += used;
            if (status != DataStatus.NeedMore) break;
        }
        return new Decoded(status, consumed, output.WrittenSpan.ToArray());
    }

    /// <summary>The DATA rules read straight off RFC 5321 over the whole input, a line at a time.</summary>
    private static Decoded ReferenceDecode(ReadOnlySpan<byte> input)
    {
        var output = new List<byte>();
        var i = 0;
        while (true)
        {
            var end = i;
            while (end < input.Length && input[end] is not ((byte)'\r' or (byte)'\n')) end++;
            var content = input[i..end];
            var unstuffed = content is [(byte)'.', ..] ? content[1..] : content;
            if (end == input.Length)
            {
                output.AddRange(unstuffed);
                return new Decoded(DataStatus.NeedMore, end, output.ToArray());
            }
            if (input[end] == '\n') return new Decoded(DataStatus.BareLf, end + 1, []);
            if (end + 1 == input.Length)
            {
                output.AddRange(unstuffed);
                return new Decoded(DataStatus.NeedMore, end + 1, output.ToArray());
            }
            if (input[end + 1] != '\n') return new Decoded(DataStatus.BareCr, end + 2, []);
            if (content is [(byte)'.']) return new Decoded(DataStatus.End, end + 2, output.ToArray());
            output.AddRange(unstuffed);
            output.AddRange("\r\n"u8);
            i = end + 2;
        }
    }

    private static void BareLineEnds(ReadOnlySpan<byte> input)
    {
        var expected = FirstBareLineEnd(input);
        var whole = new BareLineEndDetector();
        var verdict = whole.Check(input);
        if (verdict == DataStatus.NeedMore) verdict = whole.Finish();
        FuzzInvariantException.Check(verdict == expected, $"BDAT check says {verdict}, reference {expected}");
        var bytewise = new BareLineEndDetector();
        var piecewise = DataStatus.NeedMore;
        for (var i = 0; i < input.Length && piecewise == DataStatus.NeedMore; i++) piecewise = bytewise.Check(input.Slice(i, 1));
        if (piecewise == DataStatus.NeedMore) piecewise = bytewise.Finish();
        FuzzInvariantException.Check(piecewise == expected, "BDAT check depends on how the chunks are cut");
    }

    private static DataStatus FirstBareLineEnd(ReadOnlySpan<byte> input)
    {
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] == '\n') return DataStatus.BareLf;
            if (input[i] != '\r') continue;
            if (i + 1 == input.Length || input[i + 1] != '\n') return DataStatus.BareCr;
            i++;
        }
        return DataStatus.End;
    }

    /// <summary>A message sent by POP3 RETR, read back as DATA, is the message with CRLF line ends.</summary>
    private static void DotStuffing(ReadOnlySpan<byte> input)
    {
        var whole = new ArrayBufferWriter<byte>();
        var encoder = new DotStuffingEncoder();
        encoder.Encode(input, whole);
        encoder.Complete(whole);
        var bytewise = new ArrayBufferWriter<byte>();
        var byteEncoder = new DotStuffingEncoder();
        for (var i = 0; i < input.Length; i++) byteEncoder.Encode(input.Slice(i, 1), bytewise);
        byteEncoder.Complete(bytewise);
        FuzzInvariantException.Check(whole.WrittenSpan.SequenceEqual(bytewise.WrittenSpan), "dot-stuffing depends on how the message is split");

        var decoded = Decode(whole.WrittenSpan, whole.WrittenCount);
        if (!IsCrlfOrLf(input))
        {
            // A CR not before LF is passed on as it is; the DATA side refuses it, and that is all.
            FuzzInvariantException.Check(decoded.Status == DataStatus.BareCr, $"a message with a bare CR read back as {decoded.Status}");
            return;
        }
        FuzzInvariantException.Check(decoded.Status == DataStatus.End, $"dot-stuffed message read back as {decoded.Status}");
        FuzzInvariantException.Check(decoded.Consumed == whole.WrittenCount, "dot-stuffed message ended early");
        FuzzInvariantException.Check(decoded.Output.AsSpan().SequenceEqual(WithCrlf(input)), "dot-stuffed message did not read back as sent");
    }

    private static bool IsCrlfOrLf(ReadOnlySpan<byte> input)
    {
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] == '\r' && i + 1 < input.Length && input[i + 1] != '\n') return false;
        }
        return true;
    }

    private static byte[] WithCrlf(ReadOnlySpan<byte> input)
    {
        var output = new List<byte>(input.Length + 16);
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] == '\n' && (i == 0 || input[i - 1] != '\r')) output.Add((byte)'\r');
            output.Add(input[i]);
        }
        if (input.Length > 0 && input[^1] != '\n')
        {
            if (input[^1] != '\r') output.Add((byte)'\r');
            output.Add((byte)'\n');
        }
        return output.ToArray();
    }

    private static bool HasOnlyCrlf(ReadOnlySpan<byte> data) => FirstBareLineEnd(data) == DataStatus.End;

    /// <summary>No field claiming our authserv-id survives, as MimeKit reads the header; the filter is chunking-independent.</summary>
    private static void ForgedResults(ReadOnlySpan<byte> input)
    {
        var whole = Filter(input, input.Length);
        var bytewise = Filter(input, 1);
        FuzzInvariantException.Check(whole.AsSpan().SequenceEqual(bytewise), "results filter depends on how the message is split");
        HeaderList headers;
        try
        {
            using var stream = new MemoryStream(whole, writable: false);
            headers = HeaderList.Load(stream);
        }
        catch (FormatException)
        {
            return;
        }
        foreach (var header in headers)
        {
            if (header.Id != HeaderId.AuthenticationResults) continue;
            var value = Encoding.UTF8.GetString(header.RawValue);
            FuzzInvariantException.Check(!string.Equals(AuthResultsSyntax.AuthServId(value), OurAuthServId, StringComparison.OrdinalIgnoreCase),
                "a field claiming our authserv-id got through");
        }
    }

    private static byte[] Filter(ReadOnlySpan<byte> input, int chunk)
    {
        var filter = new ForgedResultsFilter(OurAuthServId);
        var output = new ArrayBufferWriter<byte>();
        for (var i = 0; i < input.Length; i += chunk) filter.Write(input.Slice(i, Math.Min(chunk, input.Length - i)), output.Write);
        filter.Complete(output.Write);
        return output.WrittenSpan.ToArray();
    }
}
