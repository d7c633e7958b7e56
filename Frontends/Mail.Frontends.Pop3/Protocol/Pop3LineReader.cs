using System.Buffers;

namespace Mail.Frontends.Pop3.Protocol;

/// <summary>Reads command lines with a length bound (RFC 2449 §4: 255 octets including CRLF, or a configured larger limit).</summary>
public static class Pop3LineReader
{
    /// <summary>
    /// Reads one line terminated by LF (a preceding CR is stripped; RFC 1939 §3 asks for CRLF, a bare LF is
    /// tolerated as most servers do) of at most <paramref name="maxLength"/> octets, the line end included.
    /// </summary>
    public static Pop3LineStatus TryRead(ref SequenceReader<byte> reader, int maxLength, out ReadOnlySequence<byte> line)
    {
        if (reader.TryReadTo(out line, (byte)'\n', advancePastDelimiter: true))
        {
            // The limit counts the CRLF; the line here still holds the CR but not the LF.
            if (line.Length + 1 > maxLength) return Pop3LineStatus.TooLong;
            if (line.Length > 0 && line.Slice(line.Length - 1).FirstSpan[0] == (byte)'\r') line = line.Slice(0, line.Length - 1);
            return Pop3LineStatus.Complete;
        }
        line = default;
        return reader.Remaining >= maxLength ? Pop3LineStatus.TooLong : Pop3LineStatus.Incomplete;
    }

    /// <summary>Skips input up to and including the next LF; false if none has arrived yet (everything is skipped).</summary>
    public static bool TrySkipLine(ref SequenceReader<byte> reader)
    {
        if (reader.TryAdvanceTo((byte)'\n', advancePastDelimiter: true)) return true;
        reader.AdvanceToEnd();
        return false;
    }
}
