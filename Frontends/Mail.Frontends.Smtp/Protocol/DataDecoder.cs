using System.Buffers;

namespace Mail.Frontends.Smtp.Protocol;

/// <summary>What the DATA decoder found in a chunk.</summary>
public enum DataStatus
{
    /// <summary>All input consumed; the end-of-data line has not arrived.</summary>
    NeedMore,
    /// <summary>The end-of-data line "." CRLF was read; input after it belongs to the next command.</summary>
    End,
    /// <summary>A LF not preceded by CR: refused, as Postfix's smtpd_forbid_bare_newline does (SMTP smuggling).</summary>
    BareLf,
    /// <summary>A CR not followed by LF: refused for the same reason.</summary>
    BareCr,
}

/// <summary>
/// Streaming decoder of the DATA body (RFC 5321 §4.1.1.4, §4.5.2): strips the leading dot of
/// dot-stuffed lines and stops at CRLF "." CRLF. Only CRLF ends a line, so no LF- or CR-based
/// end-of-data variant can smuggle a second message. Holds no buffer of its own.
/// </summary>
public sealed class DataDecoder
{
    private enum State { LineStart, InLine, Cr, DotStart, DotCr }

    private State _state = State.LineStart;

    /// <summary>Decodes <paramref name="input"/> into <paramref name="output"/>; <paramref name="consumed"/> is how much of the input was used.</summary>
    public DataStatus Decode(ReadOnlySpan<byte> input, IBufferWriter<byte> output, out int consumed)
    {
        var i = 0;
        while (i < input.Length)
        {
            switch (_state)
            {
                case State.InLine:
                {
                    var rest = input[i..];
                    var special = rest.IndexOfAny((byte)'\r', (byte)'\n');
                    var run = special < 0 ? rest.Length : special;
                    output.Write(rest[..run]);
                    i += run;
                    if (special < 0) break;
                    if (input[i] == '\n') return Fail(DataStatus.BareLf, i, out consumed);
                    _state = State.Cr;
                    i++;
                    break;
                }
                case State.LineStart:
                {
                    var b = input[i];
                    if (b == '.') _state = State.DotStart;
                    else if (b == '\r') _state = State.Cr;
                    else if (b == '\n') return Fail(DataStatus.BareLf, i, out consumed);
                    else
                    {
                        output.Write(input.Slice(i, 1));
                        _state = State.InLine;
                    }
                    i++;
                    break;
                }
                case State.Cr:
                {
                    if (input[i] != '\n') return Fail(DataStatus.BareCr, i, out consumed);
                    output.Write("\r\n"u8);
                    _state = State.LineStart;
                    i++;
                    break;
                }
                case State.DotStart:
                {
                    var b = input[i];
                    if (b == '\r') _state = State.DotCr;
                    else if (b == '\n') return Fail(DataStatus.BareLf, i, out consumed);
                    else
                    {
                        output.Write(input.Slice(i, 1));
                        _state = State.InLine;
                    }
                    i++;
                    break;
                }
                case State.DotCr:
                {
                    if (input[i] != '\n') return Fail(DataStatus.BareCr, i, out consumed);
                    consumed = i + 1;
                    _state = State.LineStart;
                    return DataStatus.End;
                }
            }
        }
        consumed = i;
        return DataStatus.NeedMore;
    }

    private DataStatus Fail(DataStatus status, int at, out int consumed)
    {
        consumed = at + 1;
        _state = State.LineStart;
        return status;
    }
}
