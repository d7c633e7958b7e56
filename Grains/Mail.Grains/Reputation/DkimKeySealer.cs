using System.Security.Cryptography;
using System.Text;
using Mail.Storage.Keys;

namespace Mail.Grains.Reputation;

/// <summary>
/// Seals DKIM private keys at rest with <see cref="TenantSealer"/> (AES-256-GCM under a key derived from the tenant's
/// key), bound to the domain and selector, so a sealed key copied to another domain's or selector's row does not open.
/// Keys sealed before tenant keys had versions (format 1: no version, meaning version 0) still open.
/// </summary>
public static class DkimKeySealer
{
    private const byte LegacyFormat = 1;
    private const int LegacyHeaderSize = 1;

    private static readonly byte[] Purpose = "mail dkim private key v1"u8.ToArray();

    /// <summary>Encrypts <paramref name="privateKey"/> under <paramref name="tenantKey"/>, naming its version.</summary>
    public static byte[] Seal(TenantKey tenantKey, string domain, string selector, byte[] privateKey) =>
        TenantSealer.Seal(tenantKey, Purpose, AssociatedData(domain, selector), privateKey);

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
        return TenantSealer.Open(tenantKey, Purpose, AssociatedData(domain, selector), sealedKey, header);
    }

    private static (int KeyVersion, int HeaderSize) Layout(byte[] sealedKey, string domain, string selector)
    {
        if (TenantSealer.KeyVersionOf(sealedKey) is { } version) return (version, TenantSealer.HeaderSize);
        if (sealedKey.Length >= LegacyHeaderSize + TenantSealer.NonceSize + TenantSealer.TagSize && sealedKey[0] == LegacyFormat)
        {
            return (TenantKey.LegacyVersion, LegacyHeaderSize);
        }
        throw new CryptographicException($"The sealed DKIM key of {selector}._domainkey.{domain} has an unknown format.");
    }

    private static byte[] AssociatedData(string domain, string selector) => Encoding.UTF8.GetBytes($"dkim\0{domain}\0{selector}");
}
