using Mail.Storage.Blobs;

namespace Mail.Frontends.Smtp.Session;

/// <summary>
/// A read-only, seekable view of a stored blob for MimeKit's persistent parse (only header fields are then kept in
/// memory; part contents are read back when DKIM hashes them). A forward seek skips; a backward seek reopens the
/// blob, since the decrypting stream only goes forward.
/// </summary>
public sealed class SeekableBlobStream(IBlobStore blobs, string tenantId, BlobRef blob) : Stream
{
    private Stream? _inner;
    private long _innerPosition;
    private long _position;

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => true;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => blob.Length;

    /// <inheritdoc />
    public override long Position
    {
        get => _position;
        set => _position = Math.Clamp(value, 0, blob.Length);
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => blob.Length + offset,
    };

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= blob.Length || buffer.Length == 0) return 0;
        if (_inner is null || _innerPosition > _position)
        {
            if (_inner is not null) await _inner.DisposeAsync();
            _inner = await blobs.OpenReadAsync(tenantId, blob, cancellationToken);
            _innerPosition = 0;
        }
        if (_innerPosition < _position)
        {
            var skip = new byte[(int)Math.Min(64 * 1024, _position - _innerPosition)];
            while (_innerPosition < _position)
            {
                var n = await _inner.ReadAsync(skip.AsMemory(0, (int)Math.Min(skip.Length, _position - _innerPosition)), cancellationToken);
                if (n == 0) return 0;
                _innerPosition += n;
            }
        }
        var read = await _inner.ReadAsync(buffer, cancellationToken);
        _innerPosition += read;
        _position += read;
        return read;
    }

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner?.Dispose();
        base.Dispose(disposing);
    }
}
