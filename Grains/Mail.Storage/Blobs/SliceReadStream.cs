using Microsoft.Win32.SafeHandles;

namespace Mail.Storage.Blobs;

/// <summary>Reads <c>length</c> bytes of a file from <c>start</c> on (a packed blob in its segment), and owns the file handle.</summary>
internal sealed class SliceReadStream(SafeFileHandle file, long start, long length) : ForwardReadStream
{
    private long _read;

    public override int Read(Span<byte> buffer)
    {
        var count = (int)Math.Min(buffer.Length, length - _read);
        if (count == 0) return 0;
        var read = RandomAccess.Read(file, buffer[..count], start + _read);
        _read += read;
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var count = (int)Math.Min(buffer.Length, length - _read);
        if (count == 0) return 0;
        var read = await RandomAccess.ReadAsync(file, buffer[..count], start + _read, cancellationToken);
        _read += read;
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) file.Dispose();
        base.Dispose(disposing);
    }
}
