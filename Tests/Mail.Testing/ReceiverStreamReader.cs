namespace Mail.Testing;

/// <summary>Buffered reads for <see cref="TestSmtpReceiver"/>: LF-terminated lines (terminator kept) and exact byte counts (BDAT).</summary>
internal sealed class ReceiverStreamReader(Stream stream)
{
    private const int MaxLine = 1024 * 1024;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    /// <summary>The next line including its LF (or CRLF); null when the client closed.</summary>
    public async Task<byte[]?> ReadLineAsync(CancellationToken ct)
    {
        var searched = 0;
        while (true)
        {
            var lf = _buffer.AsSpan(_start + searched, _end - _start - searched).IndexOf((byte)'\n');
            if (lf >= 0)
            {
                var line = _buffer.AsSpan(_start, searched + lf + 1).ToArray();
                _start += line.Length;
                return line;
            }
            searched = _end - _start;
            if (searched > MaxLine) throw new InvalidDataException("line too long");
            if (!await FillAsync(ct)) return null;
        }
    }

    /// <summary>Exactly <paramref name="count"/> bytes into <paramref name="destination"/>; false when the client closed first.</summary>
    public async Task<bool> ReadExactAsync(long count, Stream destination, CancellationToken ct)
    {
        while (count > 0)
        {
            if (_start == _end && !await FillAsync(ct)) return false;
            var take = (int)Math.Min(count, _end - _start);
            destination.Write(_buffer, _start, take);
            _start += take;
            count -= take;
        }
        return true;
    }

    private async Task<bool> FillAsync(CancellationToken ct)
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        var read = await stream.ReadAsync(_buffer.AsMemory(_end), ct);
        _end += read;
        return read > 0;
    }
}
