namespace Mail.Storage.Keys;

/// <summary>Per-tenant 256-bit keys, in versions: new data is encrypted under the current version and names it; old data is read under the version it names.</summary>
public interface ITenantKeyStore
{
    /// <summary>The tenant's newest key version, created on first use.</summary>
    ValueTask<TenantKey> GetCurrentAsync(string tenantId, CancellationToken ct);

    /// <summary>The tenant's key of <paramref name="version"/>; throws <see cref="TenantKeyNotFoundException"/> when there is none, <see cref="TenantKeyUnwrapException"/> when its wrapping does not verify.</summary>
    ValueTask<byte[]> GetAsync(string tenantId, int version, CancellationToken ct);
}
