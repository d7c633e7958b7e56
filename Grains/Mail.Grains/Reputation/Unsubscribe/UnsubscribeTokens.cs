using System.Security.Cryptography;
using System.Text;
using Mail.Grains.Interfaces.Bulk;
using Mail.Storage.Keys;

namespace Mail.Grains.Reputation.Unsubscribe;

/// <summary>
/// Signed one-click unsubscribe tokens (RFC 8058 §3.1 asks that the URI identify the recipient and list and be hard to
/// forge). A token names its tenant and recipient and is signed with HMAC-SHA-256 (truncated to 128 bits) under a key
/// derived (HKDF, RFC 5869) from the tenant's key, whose version it names: no new secret to keep, a tenant key rotation
/// leaves old links working, and a token of one tenant never verifies as another's. Layout before base32hex: format byte,
/// key version (2 bytes), tenant length (1 byte), tenant, address (UTF-8), MAC.
/// </summary>
public sealed class UnsubscribeTokens(ITenantKeyStore keys)
{
    private const byte Format = 1;
    private const int MacBytes = 16;
    private const int HeaderBytes = 4;
    private static readonly byte[] Info = "mail list-unsubscribe v1"u8.ToArray();
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>A signer for the tenant's current key version, to sign many recipients (a job's) with one key lookup.</summary>
    public async Task<UnsubscribeSigner> SignerAsync(string tenantId, CancellationToken ct)
    {
        var key = await keys.GetCurrentAsync(tenantId, ct);
        if (key.Version > ushort.MaxValue) throw new InvalidOperationException($"Tenant key version {key.Version} does not fit an unsubscribe token.");
        return new UnsubscribeSigner(tenantId, key.Version, Derive(key.Key));
    }

    /// <summary>The tenant and recipient a token names, or null when it is malformed, of an unknown key, or forged.</summary>
    public async Task<UnsubscribeTarget?> VerifyAsync(string token, CancellationToken ct)
    {
        if (token.Length > 512 || !Base32Hex.TryDecode(token, out var bytes) || bytes.Length < HeaderBytes + MacBytes + 3 || bytes[0] != Format) return null;
        var version = (bytes[1] << 8) | bytes[2];
        var tenantLength = bytes[3];
        var addressLength = bytes.Length - HeaderBytes - tenantLength - MacBytes;
        if (tenantLength == 0 || addressLength < 3) return null;
        string tenant, address;
        byte[] key;
        try
        {
            tenant = StrictUtf8.GetString(bytes, HeaderBytes, tenantLength);
            address = StrictUtf8.GetString(bytes, HeaderBytes + tenantLength, addressLength);
            key = await keys.GetAsync(tenant, version, ct);
        }
        catch (Exception e) when (e is DecoderFallbackException or ArgumentException or TenantKeyNotFoundException or TenantKeyUnwrapException)
        {
            return null;
        }
        var mac = HMACSHA256.HashData(Derive(key), bytes.AsSpan(0, bytes.Length - MacBytes));
        return CryptographicOperations.FixedTimeEquals(mac.AsSpan(0, MacBytes), bytes.AsSpan(bytes.Length - MacBytes))
            ? new UnsubscribeTarget(tenant, address)
            : null;
    }

    private static byte[] Derive(byte[] tenantKey) => HKDF.DeriveKey(HashAlgorithmName.SHA256, tenantKey, 32, salt: null, info: Info);

    /// <summary>The token bytes before the MAC.</summary>
    internal static byte[] Payload(int version, string tenantId, string address)
    {
        var tenant = Encoding.UTF8.GetBytes(tenantId);
        var recipient = Encoding.UTF8.GetBytes(address);
        if (tenant.Length > byte.MaxValue) throw new ArgumentException("Tenant id too long for a token.", nameof(tenantId));
        var payload = new byte[HeaderBytes + tenant.Length + recipient.Length + MacBytes];
        payload[0] = Format;
        payload[1] = (byte)(version >> 8);
        payload[2] = (byte)version;
        payload[3] = (byte)tenant.Length;
        tenant.CopyTo(payload, HeaderBytes);
        recipient.CopyTo(payload, HeaderBytes + tenant.Length);
        return payload;
    }

    /// <summary>Signs the payload in place (its last bytes) and encodes it.</summary>
    internal static string Seal(byte[] payload, byte[] derivedKey)
    {
        var mac = HMACSHA256.HashData(derivedKey, payload.AsSpan(0, payload.Length - MacBytes));
        mac.AsSpan(0, MacBytes).CopyTo(payload.AsSpan(payload.Length - MacBytes));
        return Base32Hex.Encode(payload);
    }
}
