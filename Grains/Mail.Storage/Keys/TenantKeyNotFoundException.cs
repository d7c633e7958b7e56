namespace Mail.Storage.Keys;

/// <summary>Thrown when data names a tenant key version the tenant does not have.</summary>
public sealed class TenantKeyNotFoundException(string tenantId, int version)
    : Exception($"Tenant '{tenantId}' has no key version {version}.")
{
    /// <summary>The tenant.</summary>
    public string TenantId { get; } = tenantId;

    /// <summary>The missing version.</summary>
    public int Version { get; } = version;
}
