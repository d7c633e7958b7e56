using System.Buffers;

namespace Mail.Frontends.Hosting;

/// <summary>
/// Reads the command lines of SMTP, POP3 and IMAP (its continuation responses and DONE) with a length bound that counts
/// the line end (RFC 5321 §4.5.3.1.4, RFC 2449 §4). Line ends: CRLF, and a bare LF too (RFC 5321 §2.3.8 leaves that to
/// the server, and Postfix and Dovecot accept it in commands); a CR anywhere else is part of the line, never an end.
/// Message content is framed elsewhere, where a bare line end is refused (SMTP smuggling).
/// </summary>
public static class LineReader
{
    /// <summary>Reads one line terminated by LF (a preceding CR is stripped) of at most <paramref name="maxLength"/> octets.</summary>
    public static LineStatus TryRead(ref SequenceReader<byte> reader, int maxLength, out ReadOnlySequence<byte> line)
    {
        if (reader.TryReadTo(out line, (byte)'\n', advancePastDelimiter: true))
        {
            // The limit counts the CRLF; the line here still holds the CR but not the LF.
            if (line.Length + 1 > maxLength) return LineStatus.TooLong;
            if (line.Length > 0 && EndsWithCr(line)) line = line.Slice(0, line.Length - 1);
            return LineStatus.Complete;
        }
        line = default;
        return reader.Remaining >= maxLength ? LineStatus.TooLong : LineStatus.Incomplete;
    }

    /// <summary>Skips input up to and including the next LF; false if none has arrived yet (everything is skipped).</summary>
    public static bool TrySkipLine(ref SequenceReader<byte> reader)
    {
        if (reader.TryAdvanceTo((byte)'\n', advancePastDelimiter: true)) return true;
        reader.AdvanceToEnd();
        return false;
    }

    private static bool EndsWithCr(ReadOnlySequence<byte> line)
    {
        var last = line.Slice(line.Length - 1);
        return last.FirstSpan[0] == (byte)'\r';
    }
}
