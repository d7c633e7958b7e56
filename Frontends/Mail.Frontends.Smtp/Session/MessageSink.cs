using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using Mail.Mime;
using Mail.Storage.Blobs;

namespace Mail.Frontends.Smtp.Session;

/// <summary>
/// Streams message bytes into the blob store as they arrive (a bounded pipe, so a 50 MB message never
/// sits in memory), counts them against the size limit, and hashes the client's bytes so that a retried
/// transaction maps to the same submission id.
/// </summary>
public sealed class MessageSink : IBufferWriter<byte>
{
    private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, useSynchronizationContext: false));
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly long _limit;
    private readonly Task<BlobRef> _upload;
    private readonly ArrayBufferWriter<byte> _discard = new();
    private readonly ArrayBufferWriter<byte> _prefix = new();
    private Memory<byte> _current;

    /// <summary>Starts the upload of a message for <paramref name="tenantId"/>, with <paramref name="prefix"/> (trace headers) first.</summary>
    public MessageSink(IBlobStore blobs, string tenantId, string prefix, long limit, CancellationToken ct)
    {
        _limit = limit;
        var trace = Encoding.UTF8.GetBytes(prefix);
        _pipe.Writer.Write(trace);
        _prefix.Write(trace.AsSpan(0, Math.Min(trace.Length, MessageSummaryReader.ParsedPrefixBytes)));
        _upload = Task.Run(() => blobs.PutAsync(tenantId, _pipe.Reader.AsStream(), ct), ct);
    }

    /// <summary>Client bytes received so far.</summary>
    public long Length { get; private set; }

    /// <summary>Whether the client sent more than the limit; the rest was discarded.</summary>
    public bool Overflowed => Length > _limit;

    /// <inheritdoc />
    public void Advance(int count)
    {
        var written = _current.Span[..count];
        _hash.AppendData(written);
        var keep = Math.Min(count, MessageSummaryReader.ParsedPrefixBytes - _prefix.WrittenCount);
        if (keep > 0) _prefix.Write(written[..keep]);
        Length += count;
        if (Overflowed)
        {
            _discard.Clear();
            return;
        }
        _pipe.Writer.Advance(count);
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        _current = Overflowed ? _discard.GetMemory(sizeHint) : _pipe.Writer.GetMemory(sizeHint);
        return _current;
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    /// <summary>The stored message's first bytes, trace headers included (up to <see cref="MessageSummaryReader.ParsedPrefixBytes"/>), kept to summarize it without reading it back.</summary>
    public ReadOnlyMemory<byte> Prefix => _prefix.WrittenMemory;

    /// <summary>Lets the upload catch up (backpressure).</summary>
    public ValueTask<FlushResult> FlushAsync(CancellationToken ct) => _pipe.Writer.FlushAsync(ct);

    /// <summary>Ends the message and waits until the blob is durable; returns the reference and the hash of the client's bytes.</summary>
    public async Task<(BlobRef Blob, byte[] Hash)> CompleteAsync()
    {
        await _pipe.Writer.CompleteAsync();
        return (await _upload, _hash.GetHashAndReset());
    }

    /// <summary>Abandons the upload (size exceeded, smuggling, client gone); nothing is stored.</summary>
    public async Task AbortAsync()
    {
        await _pipe.Writer.CompleteAsync(new OperationCanceledException("The message was abandoned."));
        try
        {
            await _upload;
        }
        catch (Exception)
        {
            // The upload fails by design here; the store removes its temporary file.
        }
        _hash.Dispose();
    }
}
