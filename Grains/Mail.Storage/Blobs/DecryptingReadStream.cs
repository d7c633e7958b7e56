using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using Mail.Storage.Keys;

namespace Mail.Storage.Blobs;

/// <summary>A read-only stream that decrypts an "MLB1" blob (format version 1 or 2) one segment at a time, releasing a segment's plaintext only after its tag verifies.</summary>
internal sealed class DecryptingReadStream : ForwardReadStream
{
    private readonly Stream _raw;
    private readonly SegmentedAesGcm _cipher;
    private readonly string _blobName;
    private readonly long _expectedLength;
    private readonly int _segmentSize;

    // A sealed segment plus one byte: only the byte after a segment (or its absence) tells whether
    // the segment must be the final one.
    private readonly int _sealedCapacity;
    private byte[]? _sealed;
    private int _sealedCount;

    private byte[]? _plain;
    private int _plainOffset;
    private int _plainCount;

    private uint _index;
    private long _released;
    private bool _finished;
    private ExceptionDispatchInfo? _fault;

    private DecryptingReadStream(Stream raw, SegmentedAesGcm cipher, BlobRef blob, int segmentSize)
    {
        _raw = raw;
        _cipher = cipher;
        _blobName = blob.Name;
        _expectedLength = blob.Length;
        _segmentSize = segmentSize;
        _sealedCapacity = segmentSize + SegmentedAesGcm.TagSize + 1;
        _sealed = ArrayPool<byte>.Shared.Rent(_sealedCapacity);
        _plain = ArrayPool<byte>.Shared.Rent(segmentSize);
    }

    /// <summary>
    /// Reads the header from <paramref name="raw"/> (owned by the returned stream, and disposed by the caller if this throws)
    /// and asks <paramref name="keyOf"/> for the tenant key of the version it names.
    /// </summary>
    public static async Task<DecryptingReadStream> OpenAsync(Stream raw, Func<int, ValueTask<byte[]>> keyOf, BlobRef blob, CancellationToken ct)
    {
        var header = new byte[SegmentedAesGcm.HeaderSize];
        var read = await raw.ReadAtLeastAsync(header.AsMemory(0, SegmentedAesGcm.PrefixSize), SegmentedAesGcm.PrefixSize, throwOnEndOfStream: false, ct);
        if (read < SegmentedAesGcm.PrefixSize)
            throw new BlobCorruptException(blob.Name, $"it is {read} bytes long, shorter than any header");
        var headerSize = SegmentedAesGcm.HeaderSizeOf(header, blob.Name);
        read += await raw.ReadAtLeastAsync(header.AsMemory(read, headerSize - read), headerSize - read, throwOnEndOfStream: false, ct);
        if (read < headerSize)
            throw new BlobCorruptException(blob.Name, $"it is {read} bytes long, shorter than the {headerSize}-byte header");
        var (keyVersion, segmentSize, baseNonce) = SegmentedAesGcm.ReadHeader(header.AsSpan(0, headerSize), blob.Name);
        byte[] key;
        try
        {
            key = await keyOf(keyVersion);
        }
        catch (TenantKeyNotFoundException e)
        {
            throw new BlobCorruptException(blob.Name, $"its header names key version {keyVersion}, which its tenant does not have", e);
        }
        return new DecryptingReadStream(raw, new SegmentedAesGcm(key, blob.Name, baseNonce), blob, segmentSize);
    }

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_plain is null, this);
        _fault?.Throw();
        if (buffer.IsEmpty) return 0;
        while (_plainOffset == _plainCount)
        {
            if (_finished) return 0;
            var needed = _sealedCapacity - _sealedCount;
            _sealedCount += _raw.ReadAtLeast(_sealed.AsSpan(_sealedCount, needed), needed, throwOnEndOfStream: false);
            OpenNextSegment();
        }
        return CopyPlain(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_plain is null, this);
        _fault?.Throw();
        if (buffer.IsEmpty) return 0;
        while (_plainOffset == _plainCount)
        {
            if (_finished) return 0;
            var needed = _sealedCapacity - _sealedCount;
            _sealedCount += await _raw.ReadAtLeastAsync(_sealed.AsMemory(_sealedCount, needed), needed,
                throwOnEndOfStream: false, cancellationToken);
            OpenNextSegment();
        }
        return CopyPlain(buffer.Span);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _plain is not null)
        {
            _raw.Dispose();
            ReleaseBuffers();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_plain is not null)
        {
            await _raw.DisposeAsync();
            ReleaseBuffers();
        }
        await base.DisposeAsync();
    }

    private void ReleaseBuffers()
    {
        _cipher.Dispose();
        ArrayPool<byte>.Shared.Return(_plain!, clearArray: true);
        ArrayPool<byte>.Shared.Return(_sealed!);
        _plain = null;
        _sealed = null;
    }

    // Called with the sealed buffer filled as far as the raw stream allows: a short fill means the
    // raw stream has ended, so this segment must be the final one.
    private void OpenNextSegment()
    {
        var chunk = _segmentSize + SegmentedAesGcm.TagSize;
        var final = _sealedCount <= chunk;
        var length = final ? _sealedCount : chunk;
        if (length < SegmentedAesGcm.TagSize)
        {
            Fail(_index == 0
                ? "it ends inside the first segment (truncated)"
                : $"it ends after segment {_index - 1} without a final segment (truncated)");
        }

        var sealedSegment = _sealed.AsSpan(0, length);
        var plainLength = length - SegmentedAesGcm.TagSize;
        if (!_cipher.TryOpen(_index, final, sealedSegment, _plain))
        {
            // Reopening with the flag flipped costs a second pass only on a blob that is already
            // failing, and turns "does not verify" into the specific way the blob was damaged.
            if (_cipher.TryOpen(_index, !final, sealedSegment, _plain))
            {
                _plain.AsSpan(0, plainLength).Clear();
                Fail(final
                    ? $"it ends after segment {_index} without a final segment (truncated)"
                    : $"data follows its final segment {_index} (extended)");
            }
            Fail($"segment {_index} failed authentication: its bytes were altered or cut short, or the blob was copied from another name or tenant");
        }

        var total = _released + plainLength;
        if (final ? total != _expectedLength : total > _expectedLength)
            Fail($"it decrypts to {(final ? total : $"more than {_expectedLength}")} bytes but its reference records {_expectedLength}");

        _released = total;
        _plainOffset = 0;
        _plainCount = plainLength;
        if (final)
        {
            _finished = true;
            _sealedCount = 0;
            return;
        }
        if (_index == uint.MaxValue) Fail("it has more segments than the format can number");
        _index++;
        _sealed![0] = _sealed[chunk];
        _sealedCount = 1;
    }

    [DoesNotReturn]
    private void Fail(string reason)
    {
        _plainOffset = _plainCount = 0;
        _fault = ExceptionDispatchInfo.Capture(new BlobCorruptException(_blobName, reason));
        _fault.Throw();
    }

    private int CopyPlain(Span<byte> destination)
    {
        var count = Math.Min(destination.Length, _plainCount - _plainOffset);
        _plain.AsSpan(_plainOffset, count).CopyTo(destination);
        _plainOffset += count;
        return count;
    }
}
