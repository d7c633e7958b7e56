namespace Mail.Storage.Blobs;

/// <summary>The tenant ids allowed to become a path segment or a file name: 1–64 of [a-z0-9.-], and not "." or "..".</summary>
internal static class TenantIdFormat
{
    public const int MaxLength = 64;

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="tenantId"/> is well-formed.</summary>
    public static void Validate(string tenantId)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        if (tenantId.Length is 0 or > MaxLength)
            throw new ArgumentException($"Tenant id must be 1 to {MaxLength} characters.", nameof(tenantId));
        foreach (var c in tenantId)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.'))
                throw new ArgumentException($"Tenant id '{tenantId}' may contain only lowercase letters, digits, '-' and '.'.", nameof(tenantId));
        }
        // Both are legal by the character rule but would be read as directory references in a path.
        if (tenantId is "." or "..")
            throw new ArgumentException($"Tenant id '{tenantId}' is reserved.", nameof(tenantId));
    }
}
