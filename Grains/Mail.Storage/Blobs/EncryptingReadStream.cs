using System.Buffers;
using System.Security.Cryptography;
using Mail.Storage.Keys;

namespace Mail.Storage.Blobs;

/// <summary>A read-only stream yielding the "MLB1" encryption of a plaintext stream, one pooled segment buffer at a time, for a raw store to copy from.</summary>
internal sealed class EncryptingReadStream : ForwardReadStream
{
    private readonly Stream _plaintext;
    private readonly SegmentedAesGcm _cipher;
    private readonly int _segmentSize;

    // One byte beyond a segment: whether a further byte exists is what makes a segment final or not,
    // and the format needs to know that before sealing it.
    private readonly int _plainCapacity;
    private byte[]? _plain;
    private int _plainCount;

    private byte[]? _sealed;
    private int _sealedOffset;
    private int _sealedCount;

    private uint _index;
    private bool _finalSealed;

    /// <summary>Encrypts <paramref name="plaintext"/> (not owned) for the blob <paramref name="blobName"/> under <paramref name="key"/>, naming its version in the header.</summary>
    public EncryptingReadStream(Stream plaintext, TenantKey key, string blobName, int segmentSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(segmentSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(segmentSize, SegmentedAesGcm.MaxSegmentSize);
        _plaintext = plaintext;
        _segmentSize = segmentSize;
        Span<byte> baseNonce = stackalloc byte[SegmentedAesGcm.NonceSize];
        RandomNumberGenerator.Fill(baseNonce);
        _cipher = new SegmentedAesGcm(key.Key, blobName, baseNonce);
        _plainCapacity = segmentSize + 1;
        _plain = ArrayPool<byte>.Shared.Rent(_plainCapacity);
        _sealed = ArrayPool<byte>.Shared.Rent(Math.Max(SegmentedAesGcm.HeaderSize, segmentSize + SegmentedAesGcm.TagSize));
        SegmentedAesGcm.WriteHeader(_sealed, segmentSize, key.Version, baseNonce);
        _sealedCount = SegmentedAesGcm.HeaderSize;
    }

    /// <summary>Plaintext bytes sealed so far; the blob's length once <see cref="IsComplete"/>.</summary>
    public long PlaintextLength { get; private set; }

    /// <summary>True once the final segment has been sealed and read out.</summary>
    public bool IsComplete => _finalSealed && _sealedOffset == _sealedCount;

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_plain is null, this);
        if (buffer.IsEmpty) return 0;
        while (_sealedOffset == _sealedCount)
        {
            if (_finalSealed) return 0;
            var needed = _plainCapacity - _plainCount;
            _plainCount += _plaintext.ReadAtLeast(_plain.AsSpan(_plainCount, needed), needed, throwOnEndOfStream: false);
            SealNextSegment();
        }
        return CopySealed(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_plain is null, this);
        if (buffer.IsEmpty) return 0;
        while (_sealedOffset == _sealedCount)
        {
            if (_finalSealed) return 0;
            var needed = _plainCapacity - _plainCount;
            _plainCount += await _plaintext.ReadAtLeastAsync(_plain.AsMemory(_plainCount, needed), needed,
                throwOnEndOfStream: false, cancellationToken);
            SealNextSegment();
        }
        return CopySealed(buffer.Span);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _plain is not null)
        {
            _cipher.Dispose();
            ArrayPool<byte>.Shared.Return(_plain, clearArray: true);
            ArrayPool<byte>.Shared.Return(_sealed!);
            _plain = null;
            _sealed = null;
        }
        base.Dispose(disposing);
    }

    // Called with the plaintext buffer filled as far as the source allows: a short fill means the
    // source has ended, so this segment is the final one.
    private void SealNextSegment()
    {
        var final = _plainCount <= _segmentSize;
        var length = final ? _plainCount : _segmentSize;
        _cipher.Seal(_index, final, _plain.AsSpan(0, length), _sealed.AsSpan(0, length + SegmentedAesGcm.TagSize));
        _sealedOffset = 0;
        _sealedCount = length + SegmentedAesGcm.TagSize;
        PlaintextLength += length;
        if (final)
        {
            _finalSealed = true;
            _plainCount = 0;
            return;
        }
        if (_index == uint.MaxValue)
            throw new IOException("Plaintext exceeds the 2^32 segments the blob format can number.");
        _index++;
        _plain![0] = _plain[_segmentSize];
        _plainCount = 1;
    }

    private int CopySealed(Span<byte> destination)
    {
        var count = Math.Min(destination.Length, _sealedCount - _sealedOffset);
        _sealed.AsSpan(_sealedOffset, count).CopyTo(destination);
        _sealedOffset += count;
        return count;
    }
}
