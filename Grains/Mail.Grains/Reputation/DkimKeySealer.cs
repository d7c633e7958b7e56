using System.Security.Cryptography;
using System.Text;

namespace Mail.Grains.Reputation;

/// <summary>
/// Seals DKIM private keys at rest with AES-256-GCM under a key derived from the tenant's key, bound to
/// the domain and selector, so a sealed key copied to another domain's or selector's row does not open.
/// </summary>
public static class DkimKeySealer
{
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    // A key of its own (HKDF, RFC 5869) rather than the tenant key itself, which also encrypts blobs.
    private static readonly byte[] Purpose = "mail dkim private key v1"u8.ToArray();

    /// <summary>Encrypts <paramref name="privateKey"/>: version, nonce, tag, ciphertext.</summary>
    public static byte[] Seal(byte[] tenantKey, string domain, string selector, byte[] privateKey)
    {
        var sealedKey = new byte[1 + NonceSize + TagSize + privateKey.Length];
        sealedKey[0] = Version;
        var nonce = sealedKey.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(DeriveKey(tenantKey), TagSize);
        aes.Encrypt(nonce, privateKey, sealedKey.AsSpan(1 + NonceSize + TagSize), sealedKey.AsSpan(1 + NonceSize, TagSize),
            AssociatedData(domain, selector));
        return sealedKey;
    }

    /// <summary>Decrypts what <see cref="Seal"/> made; throws <see cref="CryptographicException"/> on any tampering or wrong binding.</summary>
    public static byte[] Open(byte[] tenantKey, string domain, string selector, byte[] sealedKey)
    {
        if (sealedKey.Length < 1 + NonceSize + TagSize || sealedKey[0] != Version)
        {
            throw new CryptographicException($"The sealed DKIM key of {selector}._domainkey.{domain} has an unknown format.");
        }
        var privateKey = new byte[sealedKey.Length - 1 - NonceSize - TagSize];
        using var aes = new AesGcm(DeriveKey(tenantKey), TagSize);
        aes.Decrypt(sealedKey.AsSpan(1, NonceSize), sealedKey.AsSpan(1 + NonceSize + TagSize), sealedKey.AsSpan(1 + NonceSize, TagSize),
            privateKey, AssociatedData(domain, selector));
        return privateKey;
    }

    private static byte[] DeriveKey(byte[] tenantKey) => HKDF.DeriveKey(HashAlgorithmName.SHA256, tenantKey, 32, info: Purpose);

    private static byte[] AssociatedData(string domain, string selector) => Encoding.UTF8.GetBytes($"dkim\0{domain}\0{selector}");
}
