namespace Mail.Grains.Interfaces.Accounts;

/// <summary>A tenant (keyed by tenant id): its domains, suspension, and the creation of its accounts.</summary>
[Alias("mail.ITenantGrain")]
public interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>Registers a domain for this tenant; fails with AlreadyExists if another tenant holds it.</summary>
    Task<DomainInfo> AddDomainAsync(string domain);

    /// <summary>Removes a domain that has no accounts left.</summary>
    Task RemoveDomainAsync(string domain);

    /// <summary>
    /// Creates an account under one of this tenant's domains. Creations interleave (a bulk import creates many at once; each
    /// claims its address in the address's own grain, which keeps addresses unique); a domain being removed takes none.
    /// </summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<AccountInfo> CreateAccountAsync(NewAccount account);

    /// <summary>
    /// Creates up to <see cref="BulkAccount.MaxPerCall"/> accounts in one PostgreSQL transaction: each entry is checked as
    /// <see cref="CreateAccountAsync"/> checks one (hosted domain not under removal, quota, password or password hash), the
    /// free addresses are claimed set-wise (an address already in use, or twice in the batch, fails that entry only) and
    /// the accounts, their mailboxes and their directory rows are written with them. One outcome per entry, in order.
    /// </summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<IReadOnlyList<BulkAccountOutcome>> CreateAccountsAsync(IReadOnlyList<BulkAccount> accounts);

    /// <summary>Suspends or resumes the tenant: a suspended tenant's users cannot log in or send.</summary>
    Task SetSuspendedAsync(bool suspended);

    /// <summary>
    /// Sets how DMARC "p=reject" failures for this tenant's recipients are handled: <see cref="DmarcRejectActions.Reject"/>,
    /// <see cref="DmarcRejectActions.Quarantine"/>, or null for the server's default; anything else fails with Invalid.
    /// </summary>
    Task SetDmarcRejectActionAsync(string? action);

    /// <summary>The tenant's current status.</summary>
    Task<TenantInfo> GetAsync();

    /// <summary>
    /// Creates a tenant API key (shown once) with a scope (<see cref="ApiKeyScopes.Bulk"/>) and an optional expiry; it acts
    /// for the tenant, not for any account. Throws NotFound when the tenant hosts no domain.
    /// </summary>
    Task<NewSecret> CreateApiKeyAsync(string name, string scope = ApiKeyScopes.Bulk, DateTimeOffset? expiresAt = null);

    /// <summary>Revokes a tenant API key by id.</summary>
    Task RevokeApiKeyAsync(string keyId);

    /// <summary>Checks a tenant API key; null when wrong, expired, or the tenant is suspended.</summary>
    Task<TenantApiKeyGrant?> AuthenticateApiKeyAsync(string apiKey);
}

/// <summary>A valid tenant API key: the tenant it acts for and its scope (<see cref="ApiKeyScopes"/>).</summary>
[GenerateSerializer, Immutable, Alias("mail.TenantApiKeyGrant")]
public sealed record TenantApiKeyGrant(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string Scope);

/// <summary>A request to create an account.</summary>
[GenerateSerializer, Immutable, Alias("mail.NewAccount")]
public sealed record NewAccount(
    [property: Id(0)] string Address,
    [property: Id(1)] string Password,
    [property: Id(2)] long? QuotaBytes);

/// <summary>What a tenant is; <see cref="DmarcRejectAction"/> null means the server's default.</summary>
[GenerateSerializer, Immutable, Alias("mail.TenantInfo")]
public sealed record TenantInfo(
    [property: Id(0)] string TenantId,
    [property: Id(1)] IReadOnlyList<string> Domains,
    [property: Id(2)] bool Suspended,
    [property: Id(3)] string? DmarcRejectAction = null);
