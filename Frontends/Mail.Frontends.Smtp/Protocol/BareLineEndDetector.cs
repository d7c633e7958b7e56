namespace Mail.Frontends.Smtp.Protocol;

/// <summary>
/// Finds a bare CR or bare LF in BDAT chunks. RFC 3030 §2 leaves chunk data uninterpreted, but a bare line end is
/// refused before anything is relayed, as in DATA (<see cref="DataStatus.BareLf"/>: SMTP smuggling, Postfix's
/// smtpd_forbid_bare_newline). A CRLF may be split across chunks, so whether the last chunk ended with CR is kept.
/// </summary>
public sealed class BareLineEndDetector
{
    private bool _afterCr;

    /// <summary><see cref="DataStatus.NeedMore"/> while every line end so far is CRLF, else <see cref="DataStatus.BareLf"/> or <see cref="DataStatus.BareCr"/>.</summary>
    public DataStatus Check(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty) return DataStatus.NeedMore;
        var i = 0;
        if (_afterCr)
        {
            if (input[0] != '\n') return DataStatus.BareCr;
            _afterCr = false;
            i = 1;
        }
        while (true)
        {
            var found = input[i..].IndexOfAny((byte)'\r', (byte)'\n');
            if (found < 0) return DataStatus.NeedMore;
            i += found;
            if (input[i] == '\n') return DataStatus.BareLf;
            if (i + 1 == input.Length)
            {
                _afterCr = true;
                return DataStatus.NeedMore;
            }
            if (input[i + 1] != '\n') return DataStatus.BareCr;
            i += 2;
        }
    }

    /// <summary>At the end of the message: <see cref="DataStatus.BareCr"/> when it ended with a CR, else <see cref="DataStatus.End"/>.</summary>
    public DataStatus Finish() => _afterCr ? DataStatus.BareCr : DataStatus.End;
}
