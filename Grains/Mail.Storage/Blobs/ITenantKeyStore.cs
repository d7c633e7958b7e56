namespace Mail.Storage.Blobs;

/// <summary>Per-tenant 256-bit keys.</summary>
public interface ITenantKeyStore
{
    /// <summary>Returns the tenant's 32-byte key, creating it on first use; the array is shared, so callers must not modify it.</summary>
    ValueTask<byte[]> GetKeyAsync(string tenantId, CancellationToken ct);
}
