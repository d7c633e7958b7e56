namespace Mail.Grains.Outbound.Smtp;

/// <summary>
/// Encodes message bytes for DATA (RFC 5321 §4.5.2): a line starting with "." gets one more. A line starts after
/// every LF, bare or not, so a bare-LF "." line can never end the data early at a lenient receiver (SMTP
/// smuggling); stored mail is CRLF-canonical, so this only touches malformed input. Stateful across chunks.
/// </summary>
internal sealed class DotStuffer
{
    private bool _atLineStart = true;
    private byte _last;
    private byte _beforeLast;

    /// <summary>Appends one chunk of message bytes, stuffed.</summary>
    public void Append(SmtpOutput output, ReadOnlySpan<byte> chunk)
    {
        if (chunk.IsEmpty) return;
        _beforeLast = chunk.Length >= 2 ? chunk[^2] : _last;
        _last = chunk[^1];
        while (!chunk.IsEmpty)
        {
            if (_atLineStart && chunk[0] == (byte)'.') output.Append("."u8);
            var lf = chunk.IndexOf((byte)'\n');
            if (lf < 0)
            {
                output.Append(chunk);
                _atLineStart = false;
                return;
            }
            output.Append(chunk[..(lf + 1)]);
            _atLineStart = true;
            chunk = chunk[(lf + 1)..];
        }
    }

    /// <summary>Ends the data: CRLF if the message did not end with one, then ".", CRLF.</summary>
    public void Finish(SmtpOutput output)
    {
        if (_beforeLast != (byte)'\r' || _last != (byte)'\n') output.Append("\r\n"u8);
        output.Append(".\r\n"u8);
    }
}
