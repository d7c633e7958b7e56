using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Mail.Mime;
using Mail.Storage.Blobs;

namespace Mail.Frontends.Smtp.Session;

/// <summary>
/// Streams message bytes into the blob store as they arrive (a bounded pipe, so a 50 MB message never
/// sits in memory), counts them against the size limit, and hashes the client's bytes so that a retried
/// transaction maps to the same submission id.
/// <para>
/// When the MX verifies senders, fields can only go on top once the whole message has been checked, so the
/// sink first holds up to a fixed number of bytes in memory: a message that ends within them is stored once,
/// with the new fields, by <see cref="CompleteAsync"/>. A longer one streams into a staging blob, which is
/// read back for the checks and copied under the new fields. Forged Authentication-Results fields are removed
/// on the way in (<see cref="ForgedResultsFilter"/>).
/// </para>
/// </summary>
public sealed class MessageSink : IBufferWriter<byte>
{
    private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, useSynchronizationContext: false));
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly IBlobStore _blobs;
    private readonly string _tenantId;
    private readonly CancellationToken _ct;
    private readonly long _limit;
    private readonly byte[] _trace;
    private readonly int _hold;
    private readonly ForgedResultsFilter? _filter;
    private readonly Action<ReadOnlySpan<byte>> _emit;
    private readonly ArrayBufferWriter<byte> _held = new();
    private readonly ArrayBufferWriter<byte> _scratch = new();
    private readonly ArrayBufferWriter<byte> _discard = new();
    private readonly ArrayBufferWriter<byte> _prefix = new();
    private Task<BlobRef>? _upload;
    private BlobRef? _staged;
    private Memory<byte> _current;

    /// <summary>Starts the upload of a message for <paramref name="tenantId"/>, with <paramref name="prefix"/> (trace headers) first.</summary>
    public MessageSink(IBlobStore blobs, string tenantId, string prefix, long limit, CancellationToken ct)
        : this(blobs, tenantId, prefix, limit, 0, null, ct)
    {
    }

    /// <summary>
    /// A sink for a message to be verified before it is stored: up to <paramref name="holdBytes"/> stay in memory,
    /// Authentication-Results fields claiming <paramref name="authServId"/> are dropped; <paramref name="trace"/> goes
    /// below the fields given to <see cref="CompleteAsync"/>.
    /// </summary>
    public MessageSink(IBlobStore blobs, string tenantId, string trace, long limit, int holdBytes, string? authServId, CancellationToken ct)
    {
        (_blobs, _tenantId, _limit, _ct, _hold) = (blobs, tenantId, limit, ct, holdBytes);
        _trace = Encoding.UTF8.GetBytes(trace);
        _filter = authServId is null ? null : new ForgedResultsFilter(authServId);
        _emit = Emit;
        _prefix.Write(_trace.AsSpan(0, Math.Min(_trace.Length, MessageSummaryReader.ParsedPrefixBytes)));
        if (!Verifying) StartUpload(_trace);
    }

    /// <summary>Client bytes received so far.</summary>
    public long Length { get; private set; }

    /// <summary>Whether the client sent more than the limit; the rest was discarded.</summary>
    public bool Overflowed => Length > _limit;

    /// <summary>Whether the message is held for verification (fields go on top at the end).</summary>
    public bool Verifying => _filter is not null;

    /// <inheritdoc />
    public void Advance(int count)
    {
        var written = _current.Span[..count];
        _hash.AppendData(written);
        Length += count;
        if (Overflowed)
        {
            _discard.Clear();
            return;
        }
        if (_filter is null)
        {
            KeepPrefix(written);
            _pipe.Writer.Advance(count);
            return;
        }
        _filter.Write(written, _emit);
        _scratch.Clear();
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        _current = Overflowed ? _discard.GetMemory(sizeHint) : _filter is null ? _pipe.Writer.GetMemory(sizeHint) : _scratch.GetMemory(sizeHint);
        return _current;
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    /// <summary>The stored message's first bytes, trace headers included (up to <see cref="MessageSummaryReader.ParsedPrefixBytes"/>), kept to summarize it without reading it back.</summary>
    public ReadOnlyMemory<byte> Prefix => _prefix.WrittenMemory;

    /// <summary>Lets the upload catch up (backpressure).</summary>
    public ValueTask<FlushResult> FlushAsync(CancellationToken ct) => _upload is null ? ValueTask.FromResult(default(FlushResult)) : _pipe.Writer.FlushAsync(ct);

    /// <summary>
    /// The message as received, forged fields removed, without trace fields, as a seekable stream for the checks
    /// (from memory, or from the staging blob once it is durable).
    /// </summary>
    public async Task<Stream> OpenReceivedAsync()
    {
        _filter?.Complete(_emit);
        if (_upload is null)
        {
            var held = Held();
            return new MemoryStream(held.Array!, held.Offset, held.Count, writable: false);
        }
        _staged ??= await FinishUploadAsync();
        return new SeekableBlobStream(_blobs, _tenantId, _staged);
    }

    /// <summary>
    /// Ends the message and waits until the blob is durable; returns the reference and the hash of the client's bytes.
    /// A verified message gets <paramref name="topFields"/> (CRLF-terminated) above the trace fields.
    /// </summary>
    public async Task<(BlobRef Blob, byte[] Hash)> CompleteAsync(string? topFields = null)
    {
        if (!Verifying) return (await FinishUploadAsync(), _hash.GetHashAndReset());
        _filter!.Complete(_emit);
        var head = new byte[Encoding.UTF8.GetByteCount(topFields ?? "") + _trace.Length];
        Encoding.UTF8.GetBytes(topFields ?? "", head);
        _trace.CopyTo(head.AsSpan(head.Length - _trace.Length));
        if (_upload is null)
        {
            var whole = new byte[head.Length + _held.WrittenCount];
            head.CopyTo(whole, 0);
            _held.WrittenSpan.CopyTo(whole.AsSpan(head.Length));
            return (await _blobs.PutAsync(_tenantId, new MemoryStream(whole, writable: false), _ct), _hash.GetHashAndReset());
        }
        _staged ??= await FinishUploadAsync();
        BlobRef stored;
        await using (var staged = await _blobs.OpenReadAsync(_tenantId, _staged, _ct))
        {
            stored = await _blobs.PutAsync(_tenantId, new PrefixedReadStream(head, staged), _ct);
        }
        await _blobs.DeleteAsync(_tenantId, _staged, CancellationToken.None);
        _staged = null;
        return (stored, _hash.GetHashAndReset());
    }

    /// <summary>Abandons the upload (size exceeded, smuggling, client gone, refused by policy); nothing is stored.</summary>
    public async Task AbortAsync()
    {
        if (_upload is not null && _staged is null)
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
        }
        if (_staged is { } staged)
        {
            await _blobs.DeleteAsync(_tenantId, staged, CancellationToken.None);
            _staged = null;
        }
        _hash.Dispose();
    }

    private void Emit(ReadOnlySpan<byte> data)
    {
        KeepPrefix(data);
        if (_upload is null && _held.WrittenCount + data.Length <= _hold)
        {
            _held.Write(data);
            return;
        }
        if (_upload is null)
        {
            StartUpload(_held.WrittenSpan);
            _held.Clear();
        }
        _pipe.Writer.Write(data);
    }

    private void KeepPrefix(ReadOnlySpan<byte> data)
    {
        var keep = Math.Min(data.Length, MessageSummaryReader.ParsedPrefixBytes - _prefix.WrittenCount);
        if (keep > 0) _prefix.Write(data[..keep]);
    }

    private void StartUpload(ReadOnlySpan<byte> first)
    {
        _pipe.Writer.Write(first);
        var reader = _pipe.Reader.AsStream();
        _upload = Task.Run(() => _blobs.PutAsync(_tenantId, reader, _ct), _ct);
    }

    private async Task<BlobRef> FinishUploadAsync()
    {
        await _pipe.Writer.CompleteAsync();
        return await _upload!;
    }

    private ArraySegment<byte> Held() => MemoryMarshal.TryGetArray(_held.WrittenMemory, out var segment) ? segment : _held.WrittenSpan.ToArray();
}
