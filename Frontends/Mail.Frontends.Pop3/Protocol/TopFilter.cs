namespace Mail.Frontends.Pop3.Protocol;

/// <summary>
/// Cuts a message for TOP msg n (RFC 1939 §7): the header, the blank line that ends it, then the first
/// <c>n</c> lines of the body. Works on the message as it streams by; a line ends at LF (CRLF or bare LF).
/// A message without a blank line is all header and is passed whole.
/// </summary>
public sealed class TopFilter(int bodyLines)
{
    private bool _inBody;
    private bool _lineStart = true;
    private bool _lineIsCr;
    private int _bodyLinesLeft = bodyLines;

    /// <summary>Whether the cut has been reached; the rest of the message is not needed.</summary>
    public bool Done { get; private set; }

    /// <summary>How many leading bytes of <paramref name="input"/> belong to the top of the message.</summary>
    public int Take(ReadOnlySpan<byte> input)
    {
        if (Done) return 0;
        for (var i = 0; i < input.Length; i++)
        {
            var b = input[i];
            if (_inBody)
            {
                if (b != (byte)'\n') continue;
                if (--_bodyLinesLeft > 0) continue;
                Done = true;
                return i + 1;
            }
            if (b == (byte)'\n')
            {
                if (_lineStart || _lineIsCr)
                {
                    _inBody = true;
                    if (_bodyLinesLeft == 0)
                    {
                        Done = true;
                        return i + 1;
                    }
                }
                _lineStart = true;
                _lineIsCr = false;
                continue;
            }
            _lineIsCr = _lineStart && b == (byte)'\r';
            _lineStart = false;
        }
        return input.Length;
    }
}
