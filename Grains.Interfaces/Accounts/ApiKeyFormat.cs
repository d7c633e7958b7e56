namespace Mail.Grains.Interfaces.Accounts;

/// <summary>
/// API keys carry their owner so a frontend can route one to its grain without a lookup: an account's key is
/// "mk_{account}_{secret}", a tenant's "mt_{tenant}_{secret}" with a secret of <see cref="SecretLength"/> characters.
/// </summary>
public static class ApiKeyFormat
{
    /// <summary>Prefix of every account API key.</summary>
    public const string Prefix = "mk_";

    /// <summary>Prefix of every tenant API key.</summary>
    public const string TenantPrefix = "mt_";

    /// <summary>Characters of the secret part (24 random bytes, URL-safe base64): tenant ids may hold '_', so a tenant key is split by length.</summary>
    public const int SecretLength = 32;

    /// <summary>Whether <paramref name="token"/> looks like an API key of either kind.</summary>
    public static bool IsApiKey(string? token) =>
        token is not null && (token.StartsWith(Prefix, StringComparison.Ordinal) || token.StartsWith(TenantPrefix, StringComparison.Ordinal));

    /// <summary>Builds a tenant key from a tenant id and a secret of <see cref="SecretLength"/> characters.</summary>
    public static string ComposeTenant(string tenantId, string secret) =>
        secret.Length == SecretLength ? $"{TenantPrefix}{tenantId}_{secret}" : throw new ArgumentException($"The secret must be {SecretLength} characters.", nameof(secret));

    /// <summary>The tenant id in a tenant key, or null if the key is not one.</summary>
    public static string? TenantIdOf(string? apiKey)
    {
        if (apiKey is null || !apiKey.StartsWith(TenantPrefix, StringComparison.Ordinal)) return null;
        var separator = apiKey.Length - SecretLength - 1;
        return separator > TenantPrefix.Length && apiKey[separator] == '_' ? apiKey[TenantPrefix.Length..separator] : null;
    }

    /// <summary>Builds a key from an account id and a secret.</summary>
    public static string Compose(string accountId, string secret) => $"{Prefix}{accountId}_{secret}";

    /// <summary>The account id in a key, or null if the key is not in this format.</summary>
    public static string? AccountIdOf(string? apiKey)
    {
        if (apiKey is null || !apiKey.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var end = apiKey.IndexOf('_', Prefix.Length);
        return end > Prefix.Length ? apiKey[Prefix.Length..end] : null;
    }
}
