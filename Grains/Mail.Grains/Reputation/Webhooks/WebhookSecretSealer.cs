using System.Text;
using Mail.Storage.Keys;

namespace Mail.Grains.Reputation.Webhooks;

/// <summary>
/// Seals a webhook's signing secret at rest under its tenant's key (<see cref="TenantSealer"/>), bound to the tenant and
/// the endpoint URL, so the table alone yields no secret and a sealed secret moved to another row does not open.
/// </summary>
public sealed class WebhookSecretSealer(ITenantKeyStore keys)
{
    private static readonly byte[] Purpose = "mail webhook secret v1"u8.ToArray();

    /// <summary>The sealed form of <paramref name="secret"/> for the tenant's endpoint <paramref name="url"/>.</summary>
    public async Task<byte[]> SealAsync(string tenantId, string url, string secret, CancellationToken ct = default) =>
        TenantSealer.Seal(await keys.GetCurrentAsync(tenantId, ct), Purpose, Binding(tenantId, url), Encoding.UTF8.GetBytes(secret));

    /// <summary>The secret <see cref="SealAsync"/> sealed; throws <see cref="System.Security.Cryptography.CryptographicException"/> when it does not open.</summary>
    public async Task<string> OpenAsync(string tenantId, string url, byte[] sealedSecret, CancellationToken ct = default) =>
        Encoding.UTF8.GetString(await TenantSealer.OpenAsync(keys, tenantId, Purpose, Binding(tenantId, url), sealedSecret, ct));

    private static byte[] Binding(string tenantId, string url) => Encoding.UTF8.GetBytes($"webhook\0{tenantId}\0{url}");
}
