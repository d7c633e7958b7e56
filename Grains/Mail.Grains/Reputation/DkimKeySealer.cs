using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Mail.Storage.Keys;

namespace Mail.Grains.Reputation;

/// <summary>
/// Seals DKIM private keys at rest with AES-256-GCM under a key derived from the tenant's key, bound to the domain
/// and selector, so a sealed key copied to another domain's or selector's row does not open. The sealed form names
/// the tenant key version, so the tenant key can rotate without resealing.
/// </summary>
public static class DkimKeySealer
{
    // Format 2: version, tenant key version (4 bytes, big-endian), nonce, tag, ciphertext. Format 1 (sealed before
    // tenant keys had versions) has no key version and means version 0.
    private const byte Version = 2;
    private const byte LegacyVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int LegacyHeaderSize = 1;
    private const int HeaderSize = 1 + 4;

    // A key of its own (HKDF, RFC 5869) rather than the tenant key itself, which also encrypts blobs.
    private static readonly byte[] Purpose = "mail dkim private key v1"u8.ToArray();

    /// <summary>Encrypts <paramref name="privateKey"/> under <paramref name="tenantKey"/>, naming its version.</summary>
    public static byte[] Seal(TenantKey tenantKey, string domain, string selector, byte[] privateKey)
    {
        var sealedKey = new byte[HeaderSize + NonceSize + TagSize + privateKey.Length];
        sealedKey[0] = Version;
        BinaryPrimitives.WriteInt32BigEndian(sealedKey.AsSpan(1), tenantKey.Version);
        var nonce = sealedKey.AsSpan(HeaderSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(DeriveKey(tenantKey.Key), TagSize);
        aes.Encrypt(nonce, privateKey, sealedKey.AsSpan(HeaderSize + NonceSize + TagSize), sealedKey.AsSpan(HeaderSize + NonceSize, TagSize),
            AssociatedData(domain, selector));
        return sealedKey;
    }

    /// <summary>Decrypts what <see cref="Seal"/> made, under the tenant key version it names; throws <see cref="CryptographicException"/> on any tampering or wrong binding.</summary>
    public static async Task<byte[]> OpenAsync(ITenantKeyStore keys, string tenantId, string domain, string selector, byte[] sealedKey, CancellationToken ct)
    {
        var (keyVersion, _) = Layout(sealedKey, domain, selector);
        return Open(await keys.GetAsync(tenantId, keyVersion, ct), domain, selector, sealedKey);
    }

    /// <summary>Decrypts what <see cref="Seal"/> made with <paramref name="tenantKey"/>, which must be the version it names.</summary>
    public static byte[] Open(byte[] tenantKey, string domain, string selector, byte[] sealedKey)
    {
        var (_, header) = Layout(sealedKey, domain, selector);
        var privateKey = new byte[sealedKey.Length - header - NonceSize - TagSize];
        using var aes = new AesGcm(DeriveKey(tenantKey), TagSize);
        aes.Decrypt(sealedKey.AsSpan(header, NonceSize), sealedKey.AsSpan(header + NonceSize + TagSize), sealedKey.AsSpan(header + NonceSize, TagSize),
            privateKey, AssociatedData(domain, selector));
        return privateKey;
    }

    private static (int KeyVersion, int HeaderSize) Layout(byte[] sealedKey, string domain, string selector)
    {
        var (keyVersion, header) = sealedKey.Length == 0 ? (-1, 0) : sealedKey[0] switch
        {
            LegacyVersion => (TenantKey.LegacyVersion, LegacyHeaderSize),
            Version when sealedKey.Length >= HeaderSize => (BinaryPrimitives.ReadInt32BigEndian(sealedKey.AsSpan(1)), HeaderSize),
            _ => (-1, 0),
        };
        if (keyVersion < 0 || sealedKey.Length < header + NonceSize + TagSize)
        {
            throw new CryptographicException($"The sealed DKIM key of {selector}._domainkey.{domain} has an unknown format.");
        }
        return (keyVersion, header);
    }

    private static byte[] DeriveKey(byte[] tenantKey) => HKDF.DeriveKey(HashAlgorithmName.SHA256, tenantKey, 32, info: Purpose);

    private static byte[] AssociatedData(string domain, string selector) => Encoding.UTF8.GetBytes($"dkim\0{domain}\0{selector}");
}
