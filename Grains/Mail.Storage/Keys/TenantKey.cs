namespace Mail.Storage.Keys;

/// <summary>One version of a tenant's 256-bit key; the array is shared, so callers must not modify it.</summary>
public sealed record TenantKey(int Version, byte[] Key)
{
    /// <summary>Key length in bytes (AES-256).</summary>
    public const int Size = 32;

    /// <summary>The version of keys imported from the per-tenant key files of earlier releases, and of data that names no version.</summary>
    public const int LegacyVersion = 0;

    /// <summary>The first version of a new tenant.</summary>
    public const int FirstVersion = 1;
}
