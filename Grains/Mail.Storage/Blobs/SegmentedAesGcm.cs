using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Mail.Storage.Blobs;

// Format "MLB1", version 2: header = magic "MLB1", version byte 2, segment size (4 bytes, big-endian), tenant key
// version (4 bytes, big-endian), 12-byte random base nonce; then segments of AES-256-GCM ciphertext + 16-byte tag.
// Version 1 (written before tenant keys had versions) has no key version field and means key version 0.
// Segment i uses the base nonce with its last 4 bytes XORed with i, and associated data = blob name (UTF-8) + i
// (8 bytes, big-endian) + final flag (1 byte). That is the STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár
// 2015): reordered, dropped, appended or renamed segments all fail authentication, and a reader can release each
// segment as soon as its own tag verifies. The key version and segment size are not in the associated data: a
// changed key version selects another key (or none) and a changed segment size moves the tags, so both fail.

/// <summary>Seals and opens the segments of one blob in the "MLB1" chunked AES-256-GCM format, and reads and writes its header.</summary>
internal sealed class SegmentedAesGcm : IDisposable
{
    public const byte Version = 2;
    public const byte LegacyVersion = 1;
    public const int KeySize = 32;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int HeaderSize = 4 + 1 + 4 + 4 + NonceSize;
    public const int LegacyHeaderSize = 4 + 1 + 4 + NonceSize;

    // Magic and version: enough to tell how long the header is.
    public const int PrefixSize = 5;
    public const int DefaultSegmentSize = 64 * 1024;

    // Bounds what a reader allocates for a header it has not yet authenticated.
    public const int MaxSegmentSize = 16 * 1024 * 1024;

    private const int CounterOffset = NonceSize - 4;
    private const int TrailerSize = 8 + 1;

    private readonly AesGcm _aes;
    private readonly byte[] _baseNonce;
    private readonly byte[] _nonce = new byte[NonceSize];
    private readonly byte[] _associatedData;

    /// <summary>Prepares to seal or open the segments of <paramref name="blobName"/> under <paramref name="key"/>.</summary>
    public SegmentedAesGcm(byte[] key, string blobName, ReadOnlySpan<byte> baseNonce)
    {
        if (key.Length != KeySize) throw new ArgumentException($"Key must be {KeySize} bytes.", nameof(key));
        if (baseNonce.Length != NonceSize) throw new ArgumentException($"Base nonce must be {NonceSize} bytes.", nameof(baseNonce));
        _aes = new AesGcm(key, TagSize);
        _baseNonce = baseNonce.ToArray();
        var nameLength = Encoding.UTF8.GetByteCount(blobName);
        _associatedData = new byte[nameLength + TrailerSize];
        Encoding.UTF8.GetBytes(blobName, _associatedData);
    }

    /// <summary>Writes the header for a blob with the given segment size, tenant key version and base nonce.</summary>
    public static void WriteHeader(Span<byte> destination, int segmentSize, int keyVersion, ReadOnlySpan<byte> baseNonce)
    {
        "MLB1"u8.CopyTo(destination);
        destination[4] = Version;
        BinaryPrimitives.WriteInt32BigEndian(destination[5..], segmentSize);
        BinaryPrimitives.WriteInt32BigEndian(destination[9..], keyVersion);
        baseNonce.CopyTo(destination[13..HeaderSize]);
    }

    /// <summary>The length of the header that starts with <paramref name="prefix"/> (<see cref="PrefixSize"/> bytes), or throws <see cref="BlobCorruptException"/>.</summary>
    public static int HeaderSizeOf(ReadOnlySpan<byte> prefix, string blobName)
    {
        if (!prefix[..4].SequenceEqual("MLB1"u8))
            throw new BlobCorruptException(blobName, "it does not start with the MLB1 magic");
        return prefix[4] switch
        {
            Version => HeaderSize,
            LegacyVersion => LegacyHeaderSize,
            _ => throw new BlobCorruptException(blobName, $"format version {prefix[4]} is not supported"),
        };
    }

    /// <summary>Parses a whole header (its length from <see cref="HeaderSizeOf"/>), returning the tenant key version, segment size and base nonce, or throws <see cref="BlobCorruptException"/>.</summary>
    public static (int KeyVersion, int SegmentSize, byte[] BaseNonce) ReadHeader(ReadOnlySpan<byte> header, string blobName)
    {
        var legacy = HeaderSizeOf(header, blobName) == LegacyHeaderSize;
        var segmentSize = BinaryPrimitives.ReadInt32BigEndian(header[5..]);
        if (segmentSize is < 1 or > MaxSegmentSize)
            throw new BlobCorruptException(blobName, $"segment size {segmentSize} is out of range");
        if (legacy) return (0, segmentSize, header[9..LegacyHeaderSize].ToArray());
        var keyVersion = BinaryPrimitives.ReadInt32BigEndian(header[9..]);
        if (keyVersion < 0) throw new BlobCorruptException(blobName, $"key version {keyVersion} is out of range");
        return (keyVersion, segmentSize, header[13..HeaderSize].ToArray());
    }

    /// <summary>Encrypts segment <paramref name="index"/>; <paramref name="destination"/> receives ciphertext then tag.</summary>
    public void Seal(uint index, bool final, ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        Prepare(index, final);
        _aes.Encrypt(_nonce, plaintext, destination[..plaintext.Length],
            destination.Slice(plaintext.Length, TagSize), _associatedData);
    }

    /// <summary>Verifies and decrypts segment <paramref name="index"/> (ciphertext then tag); false if the tag does not verify.</summary>
    public bool TryOpen(uint index, bool final, ReadOnlySpan<byte> sealedSegment, Span<byte> plaintext)
    {
        Prepare(index, final);
        var ciphertextLength = sealedSegment.Length - TagSize;
        try
        {
            _aes.Decrypt(_nonce, sealedSegment[..ciphertextLength], sealedSegment[ciphertextLength..],
                plaintext[..ciphertextLength], _associatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    public void Dispose() => _aes.Dispose();

    private void Prepare(uint index, bool final)
    {
        _baseNonce.CopyTo(_nonce, 0);
        var counter = BinaryPrimitives.ReadUInt32BigEndian(_nonce.AsSpan(CounterOffset)) ^ index;
        BinaryPrimitives.WriteUInt32BigEndian(_nonce.AsSpan(CounterOffset), counter);
        var trailer = _associatedData.AsSpan(_associatedData.Length - TrailerSize);
        BinaryPrimitives.WriteUInt64BigEndian(trailer, index);
        trailer[8] = final ? (byte)1 : (byte)0;
    }
}
