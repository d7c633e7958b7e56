using System.Buffers;
using System.Text;

namespace Mail.Grains.Outbound.Smtp;

/// <summary>
/// The bytes waiting to be written on one connection: commands (so a pipelined group, RFC 2920, goes out in one
/// write) and message data. One pooled buffer per connection, grown when a group needs more.
/// </summary>
internal sealed class SmtpOutput : IDisposable
{
    /// <summary>Data is written out once this much is waiting.</summary>
    public const int FlushThreshold = 32 * 1024;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(FlushThreshold + 1024);

    /// <summary>Bytes waiting.</summary>
    public int Length { get; private set; }

    /// <summary>Appends a command line, adding CRLF (UTF-8: addresses may be internationalized, RFC 6531 §3.3).</summary>
    public void AppendLine(string line)
    {
        var span = GetSpan(Encoding.UTF8.GetMaxByteCount(line.Length) + 2);
        var written = Encoding.UTF8.GetBytes(line, span);
        span[written] = (byte)'\r';
        span[written + 1] = (byte)'\n';
        Length += written + 2;
    }

    /// <summary>Appends raw bytes.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        Length += bytes.Length;
    }

    /// <summary>Writes everything waiting and empties the buffer.</summary>
    public async ValueTask FlushAsync(Stream stream, CancellationToken ct)
    {
        if (Length == 0) return;
        await stream.WriteAsync(_buffer.AsMemory(0, Length), ct);
        Length = 0;
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private Span<byte> GetSpan(int size)
    {
        if (Length + size > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, Length + size));
            _buffer.AsSpan(0, Length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        return _buffer.AsSpan(Length, size);
    }
}
