using System.Text;

namespace Mail.Grains.Outbound.Smtp;

/// <summary>
/// Reads SMTP replies (RFC 5321 §4.2: "250-" lines continue, "250 " ends) from a stream through one reused
/// buffer. A closed connection is an <see cref="EndOfStreamException"/>, a malformed reply an
/// <see cref="InvalidDataException"/>.
/// </summary>
internal sealed class SmtpReplyReader(Stream stream)
{
    private const int MaxLineLength = 4096;
    private const int MaxLines = 200;
    private readonly byte[] _buffer = new byte[MaxLineLength + 2];
    private int _start;
    private int _end;

    /// <summary>Bytes received but not read yet (after STARTTLS there must be none, RFC 3207 §4.2).</summary>
    public bool HasBufferedData => _end > _start;

    /// <summary>The next whole reply: its code and the text of each line.</summary>
    public async ValueTask<(int Code, List<string> Lines)> ReadAsync(CancellationToken ct)
    {
        var lines = new List<string>(1);
        var code = -1;
        while (true)
        {
            var line = await ReadLineAsync(ct);
            if (line.Length < 3 || !char.IsAsciiDigit(line[0]) || !char.IsAsciiDigit(line[1]) || !char.IsAsciiDigit(line[2])
                || (line.Length > 3 && line[3] != ' ' && line[3] != '-'))
                throw new InvalidDataException($"malformed reply line: {Truncate(line)}");
            var lineCode = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
            if (code >= 0 && lineCode != code) throw new InvalidDataException($"reply code changed within a multi-line reply: {Truncate(line)}");
            code = lineCode;
            lines.Add(line.Length > 4 ? line[4..] : "");
            if (line.Length <= 3 || line[3] == ' ') return (code, lines);
            if (lines.Count >= MaxLines) throw new InvalidDataException("multi-line reply too long");
        }
    }

    private async ValueTask<string> ReadLineAsync(CancellationToken ct)
    {
        while (true)
        {
            var lf = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (lf >= 0)
            {
                var length = lf > 0 && _buffer[_start + lf - 1] == '\r' ? lf - 1 : lf;
                var line = Encoding.UTF8.GetString(_buffer, _start, length);
                _start += lf + 1;
                return line;
            }
            if (_start > 0)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }
            if (_end == _buffer.Length) throw new InvalidDataException("reply line too long");
            var read = await stream.ReadAsync(_buffer.AsMemory(_end), ct);
            if (read == 0) throw new EndOfStreamException("the server closed the connection");
            _end += read;
        }
    }

    private static string Truncate(string line) => line.Length <= 100 ? line : line[..100];
}
