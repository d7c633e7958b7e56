using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Mail.Storage.Keys;

/// <summary>
/// Wraps a tenant key under a master key version: AES-256-GCM with a key derived from the master secret (HKDF-SHA256,
/// RFC 5869), the tenant, the key version and the master version in the associated data. Stored as format byte,
/// nonce, tag, ciphertext.
/// </summary>
public static class TenantKeyWrap
{
    private const byte Format = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    /// <summary>Length of a wrapped key.</summary>
    public const int Size = 1 + NonceSize + TagSize + TenantKey.Size;

    private static readonly byte[] Purpose = "mail tenant key wrap v1"u8.ToArray();

    /// <summary>Wraps <paramref name="key"/>, version <paramref name="version"/> of <paramref name="tenantId"/>, under <paramref name="master"/>.</summary>
    public static byte[] Wrap(MasterKey master, string tenantId, int version, ReadOnlySpan<byte> key)
    {
        if (key.Length != TenantKey.Size) throw new ArgumentException($"A tenant key is {TenantKey.Size} bytes.", nameof(key));
        var wrapped = new byte[Size];
        wrapped[0] = Format;
        var nonce = wrapped.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(DeriveKey(master), TagSize);
        aes.Encrypt(nonce, key, wrapped.AsSpan(1 + NonceSize + TagSize), wrapped.AsSpan(1 + NonceSize, TagSize),
            AssociatedData(tenantId, version, master.Id));
        return wrapped;
    }

    /// <summary>Unwraps what <see cref="Wrap"/> made; throws <see cref="TenantKeyUnwrapException"/> on any change to the bytes or the binding.</summary>
    public static byte[] Unwrap(MasterKey master, string tenantId, int version, byte[] wrapped)
    {
        if (wrapped.Length != Size || wrapped[0] != Format)
            throw new TenantKeyUnwrapException(tenantId, version, master.Id, $"the wrapped key has an unknown format ({wrapped.Length} bytes)");
        var key = new byte[TenantKey.Size];
        try
        {
            using var aes = new AesGcm(DeriveKey(master), TagSize);
            aes.Decrypt(wrapped.AsSpan(1, NonceSize), wrapped.AsSpan(1 + NonceSize + TagSize), wrapped.AsSpan(1 + NonceSize, TagSize), key,
                AssociatedData(tenantId, version, master.Id));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new TenantKeyUnwrapException(tenantId, version, master.Id,
                "authentication failed (the wrapped bytes were altered, copied from another tenant or version, or the master key version holds another secret)");
        }
        return key;
    }

    private static byte[] DeriveKey(MasterKey master) => HKDF.DeriveKey(HashAlgorithmName.SHA256, master.Secret, 32, info: Purpose);

    private static byte[] AssociatedData(string tenantId, int version, string masterId) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"tenant key\0{tenantId}\0{version}\0{masterId}"));
}
