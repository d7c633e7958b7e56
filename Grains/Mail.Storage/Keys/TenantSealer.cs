using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Mail.Storage.Keys;

/// <summary>
/// Seals small secrets at rest (DKIM private keys, webhook signing secrets) with AES-256-GCM under a key derived by
/// HKDF (RFC 5869) from the tenant's key for one purpose, bound by associated data to where the secret belongs, so a
/// sealed value copied to another row or put to another use does not open. The sealed form names the tenant key
/// version, so tenant keys rotate without resealing. Layout: format byte 2, key version (4 bytes, big-endian), nonce,
/// tag, ciphertext.
/// </summary>
public static class TenantSealer
{
    /// <summary>The format byte of values this class makes.</summary>
    public const byte Format = 2;

    /// <summary>Bytes before the nonce.</summary>
    public const int HeaderSize = 1 + 4;

    /// <summary>AES-GCM nonce size.</summary>
    public const int NonceSize = 12;

    /// <summary>AES-GCM tag size.</summary>
    public const int TagSize = 16;

    /// <summary>Encrypts <paramref name="secret"/> under <paramref name="tenantKey"/> for <paramref name="purpose"/>, bound to <paramref name="binding"/>.</summary>
    public static byte[] Seal(TenantKey tenantKey, ReadOnlySpan<byte> purpose, ReadOnlySpan<byte> binding, ReadOnlySpan<byte> secret)
    {
        var sealedValue = new byte[HeaderSize + NonceSize + TagSize + secret.Length];
        sealedValue[0] = Format;
        BinaryPrimitives.WriteInt32BigEndian(sealedValue.AsSpan(1), tenantKey.Version);
        var nonce = sealedValue.AsSpan(HeaderSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(DeriveKey(tenantKey.Key, purpose), TagSize);
        aes.Encrypt(nonce, secret, sealedValue.AsSpan(HeaderSize + NonceSize + TagSize), sealedValue.AsSpan(HeaderSize + NonceSize, TagSize), binding);
        return sealedValue;
    }

    /// <summary>The tenant key version a value of this format names; null when it is not of this format.</summary>
    public static int? KeyVersionOf(ReadOnlySpan<byte> sealedValue) =>
        sealedValue.Length >= HeaderSize + NonceSize + TagSize && sealedValue[0] == Format ? BinaryPrimitives.ReadInt32BigEndian(sealedValue[1..]) : null;

    /// <summary>Decrypts a value sealed after a header of <paramref name="headerSize"/> bytes; throws <see cref="CryptographicException"/> on any tampering or wrong binding.</summary>
    public static byte[] Open(byte[] tenantKey, ReadOnlySpan<byte> purpose, ReadOnlySpan<byte> binding, ReadOnlySpan<byte> sealedValue, int headerSize = HeaderSize)
    {
        if (sealedValue.Length < headerSize + NonceSize + TagSize) throw new CryptographicException("The sealed value is too short.");
        var secret = new byte[sealedValue.Length - headerSize - NonceSize - TagSize];
        using var aes = new AesGcm(DeriveKey(tenantKey, purpose), TagSize);
        aes.Decrypt(sealedValue.Slice(headerSize, NonceSize), sealedValue[(headerSize + NonceSize + TagSize)..], sealedValue.Slice(headerSize + NonceSize, TagSize),
            secret, binding);
        return secret;
    }

    /// <summary>Opens a value of this format, fetching the tenant key version it names.</summary>
    public static async Task<byte[]> OpenAsync(ITenantKeyStore keys, string tenantId, byte[] purpose, byte[] binding, byte[] sealedValue, CancellationToken ct)
    {
        var version = KeyVersionOf(sealedValue) ?? throw new CryptographicException("The sealed value has an unknown format.");
        return Open(await keys.GetAsync(tenantId, version, ct), purpose, binding, sealedValue);
    }

    // A key of its own per purpose rather than the tenant key itself, which also encrypts blobs.
    private static byte[] DeriveKey(byte[] tenantKey, ReadOnlySpan<byte> purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, tenantKey, 32, salt: [], info: purpose.ToArray());
}
