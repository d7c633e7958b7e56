using System.Buffers;

namespace Mail.Frontends.Pop3.Protocol;

/// <summary>
/// Streaming encoder of a multi-line response body (RFC 1939 §3): a line that starts with "." gets one more
/// ".", and <see cref="Complete"/> ends the body with "." CRLF. A bare LF is sent as CRLF, so a message
/// stored with Unix line ends still reaches the client as lines and can never end the response early.
/// Holds no buffer of its own, so a message of any size streams through it.
/// </summary>
public sealed class DotStuffingEncoder
{
    private bool _lineStart = true;
    private bool _afterCr;

    /// <summary>Encodes the next piece of the body into <paramref name="output"/>.</summary>
    public void Encode(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        while (input.Length > 0)
        {
            if (_lineStart && input[0] == (byte)'.') output.Write("."u8);
            var lf = input.IndexOf((byte)'\n');
            if (lf < 0)
            {
                output.Write(input);
                _afterCr = input[^1] == (byte)'\r';
                _lineStart = false;
                return;
            }
            var run = input[..lf];
            output.Write(run);
            var crBefore = lf > 0 ? run[^1] == (byte)'\r' : _afterCr;
            output.Write(crBefore ? "\n"u8 : "\r\n"u8);
            _lineStart = true;
            _afterCr = false;
            input = input[(lf + 1)..];
        }
    }

    /// <summary>Ends the body: a line end if the content did not end with one, then the terminating "." CRLF.</summary>
    public void Complete(IBufferWriter<byte> output)
    {
        if (!_lineStart) output.Write(_afterCr ? "\n"u8 : "\r\n"u8);
        output.Write(".\r\n"u8);
        _lineStart = true;
        _afterCr = false;
    }
}
