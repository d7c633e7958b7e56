using System.Buffers;

namespace Mail.Storage.Blobs;

/// <summary>The first bytes of a stream, read into a pooled buffer up to a limit, so a small blob can be packed whole.</summary>
internal sealed class PooledHead : IDisposable
{
    private byte[] _buffer = [];
    private int _length;

    /// <summary>The bytes read so far.</summary>
    public ReadOnlyMemory<byte> Bytes => _buffer.AsMemory(0, _length);

    /// <summary>Reads until the stream ends (true: all of it is in <see cref="Bytes"/>) or more than <paramref name="limit"/> bytes came (false).</summary>
    public async Task<bool> FillAsync(Stream stream, int limit, CancellationToken ct)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(limit + 1, 64 * 1024));
        while (true)
        {
            if (_length == _buffer.Length)
            {
                if (_length > limit) return false;
                // One step from the first chunk to the limit: a blob past 64 KB is copied once, not log(n) times.
                var larger = ArrayPool<byte>.Shared.Rent(limit + 1);
                _buffer.AsSpan(0, _length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }
            var read = await stream.ReadAsync(_buffer.AsMemory(_length, Math.Min(_buffer.Length, limit + 1) - _length), ct);
            if (read == 0) return true;
            _length += read;
            if (_length > limit) return false;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _length = 0;
    }
}
