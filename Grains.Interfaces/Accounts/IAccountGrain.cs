namespace Mail.Grains.Interfaces.Accounts;

/// <summary>An account (keyed by account id): credentials, app passwords, API keys, quota, aliases.</summary>
[Alias("mail.IAccountGrain")]
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>Creates the account and provisions its mailbox. Called by the tenant grain.</summary>
    Task<AccountInfo> CreateAsync(string tenantId, string address, string password, long quotaBytes);

    /// <summary>The account, or null if it does not exist.</summary>
    Task<AccountInfo?> GetAsync();

    /// <summary>Checks a password or an app password (mail protocols); null when wrong, suspended or deleted.</summary>
    Task<AccountInfo?> AuthenticateAsync(string password);

    /// <summary>Checks the account password only, never an app password (API tokens, password change); null when wrong, suspended or deleted.</summary>
    Task<AccountInfo?> AuthenticatePasswordAsync(string password);

    /// <summary>Checks an API key secret; null when wrong, expired, suspended or deleted.</summary>
    Task<ApiKeyGrant?> AuthenticateApiKeyAsync(string apiKey);

    /// <summary>
    /// Whether tokens and sessions issued at <paramref name="tokenVersion"/> still stand: the account exists, neither it
    /// nor its tenant is suspended, and no password change or suspension has happened since.
    /// </summary>
    Task<bool> IsCurrentAsync(int tokenVersion);

    /// <summary>Replaces the password and revokes every token and session issued before.</summary>
    Task SetPasswordAsync(string password);

    /// <summary>Creates an app password (shown once) for clients that cannot use the main password.</summary>
    Task<NewSecret> CreateAppPasswordAsync(string name);

    /// <summary>Creates an API key (shown once) with a scope (<see cref="ApiKeyScopes"/>) and an optional expiry.</summary>
    Task<NewSecret> CreateApiKeyAsync(string name, string scope = ApiKeyScopes.Full, DateTimeOffset? expiresAt = null);

    /// <summary>Revokes an app password or API key by id.</summary>
    Task RevokeSecretAsync(string secretId);

    /// <summary>The account's app passwords and API keys, oldest first: what they are, never their values.</summary>
    Task<IReadOnlyList<SecretInfo>> ListSecretsAsync();

    /// <summary>Adds an alias address that delivers to this account and that it may send as.</summary>
    Task AddAliasAsync(string alias);

    /// <summary>Removes an alias.</summary>
    Task RemoveAliasAsync(string alias);

    /// <summary>Sets the quota in bytes.</summary>
    Task SetQuotaAsync(long quotaBytes);

    /// <summary>Suspends or resumes the account; a suspension revokes every token and session.</summary>
    Task SetSuspendedAsync(bool suspended);

    /// <summary>Deletes the account: frees its addresses and purges its mailbox.</summary>
    Task DeleteAsync();
}

/// <summary>What an account is, without its secrets.</summary>
[GenerateSerializer, Immutable, Alias("mail.AccountInfo")]
public sealed record AccountInfo(
    [property: Id(0)] string AccountId,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string Address,
    [property: Id(3)] IReadOnlyList<string> Aliases,
    [property: Id(4)] long QuotaBytes,
    [property: Id(5)] bool Suspended,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] int TokenVersion = 0);

/// <summary>An app password or API key as listed: its id, name, kind ("app-password" or "api-key"), scope and dates.</summary>
[GenerateSerializer, Immutable, Alias("mail.SecretInfo")]
public sealed record SecretInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Kind,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] string? Scope,
    [property: Id(5)] DateTimeOffset? ExpiresAt);

/// <summary>A freshly created secret: its id (for revocation) and the value, shown once.</summary>
[GenerateSerializer, Immutable, Alias("mail.NewSecret")]
public sealed record NewSecret(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Secret);
