using System.Buffers;
using System.IO.Pipelines;
using Mail.Storage.Blobs;

namespace Mail.Frontends.Imap.Session;

/// <summary>
/// Exactly the octets of one literal, read straight from the connection's pipe as the store asks for them (so the
/// message is never whole in memory), keeping the first <paramref name="prefixBytes"/> for the message summary. The
/// connection ending before the literal does is an <see cref="IOException"/>, so nothing short is ever stored.
/// </summary>
internal sealed class LiteralReadStream(PipeReader input, long length, int prefixBytes) : ForwardReadStream
{
    private readonly ArrayBufferWriter<byte> _prefix = new(Math.Min(prefixBytes, (int)Math.Min(length, int.MaxValue)));
    private long _remaining = length;

    /// <summary>The first octets of the literal read so far.</summary>
    public ReadOnlyMemory<byte> Prefix => _prefix.WrittenMemory;

    public override int Read(Span<byte> buffer) => throw new NotSupportedException("The literal is read asynchronously.");

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_remaining == 0 || buffer.IsEmpty) return 0;
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var available = result.Buffer;
            if (!available.IsEmpty)
            {
                var take = (int)Math.Min(Math.Min(buffer.Length, _remaining), available.Length);
                var slice = available.Slice(0, take);
                slice.CopyTo(buffer.Span);
                input.AdvanceTo(slice.End);
                _remaining -= take;
                var keep = Math.Min(take, prefixBytes - _prefix.WrittenCount);
                if (keep > 0) _prefix.Write(buffer.Span[..keep]);
                return take;
            }
            input.AdvanceTo(available.End);
            // Never 0 before the end: the store would take a short message for a whole one.
            if (result.IsCompleted) throw new IOException("The connection closed in the middle of a literal.");
            if (result.IsCanceled) throw new OperationCanceledException("Reading the literal was cancelled.");
        }
    }

    /// <summary>Reads and drops what is left of the literal (after the store gave up), so the next command starts where it should.</summary>
    public async Task DrainAsync(CancellationToken ct)
    {
        var scratch = new byte[16 * 1024];
        while (await ReadAsync(scratch, ct) > 0)
        {
        }
    }
}
