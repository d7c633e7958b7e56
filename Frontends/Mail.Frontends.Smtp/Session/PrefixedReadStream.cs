using Mail.Storage.Blobs;

namespace Mail.Frontends.Smtp.Session;

/// <summary>A forward-only stream of <paramref name="head"/> then <paramref name="rest"/>: new header fields above stored content, copied without buffering it.</summary>
public sealed class PrefixedReadStream(byte[] head, Stream rest) : ForwardReadStream
{
    private int _headRead;

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        if (_headRead < head.Length) return TakeHead(buffer);
        return rest.Read(buffer);
    }

    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _headRead < head.Length ? ValueTask.FromResult(TakeHead(buffer.Span)) : rest.ReadAsync(buffer, cancellationToken);

    private int TakeHead(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, head.Length - _headRead);
        head.AsSpan(_headRead, n).CopyTo(buffer);
        _headRead += n;
        return n;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) rest.Dispose();
        base.Dispose(disposing);
    }
}
