using System.Security.Cryptography;

namespace Mail.Storage.Keys;

/// <summary>Thrown when a wrapped tenant key fails authentication: its row was altered or moved, or the master key version is not the one it was wrapped under.</summary>
public sealed class TenantKeyUnwrapException(string tenantId, int version, string masterKeyId, string reason)
    : CryptographicException(
        $"The key version {version} of tenant '{tenantId}', wrapped under master key version {masterKeyId}, cannot be unwrapped: {reason}. " +
        "Nothing encrypted under it can be read until the row in tenant_keys and the master key match again.")
{
    /// <summary>The tenant.</summary>
    public string TenantId { get; } = tenantId;

    /// <summary>The tenant key version.</summary>
    public int Version { get; } = version;
}
