using Orleans.Concurrency;
using System.Security.Cryptography;
using System.Text;
using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Grains.Accounts;

/// <summary>Owns an account's credentials, secrets, aliases, quota and suspension.</summary>
public sealed class AccountGrain(
    [PersistentState(AccountGrain.StateName, Interfaces.Names.GrainStorage)] IPersistentState<AccountState> state,
    PasswordHasher hasher,
    DirectoryTable directory) : Grain, IAccountGrain
{
    /// <summary>The name of the account's state (the grain_type_string of its storage rows).</summary>
    public const string StateName = "account";

    // A successful Argon2id check is remembered as a keyed digest for this activation only, so that
    // clients that log in on every poll (IMAP, POP3) do not pay the slow hash each time.
    private readonly byte[] _cacheKey = RandomNumberGenerator.GetBytes(32);
    private byte[]? _verifiedPassword;

    private static readonly TimeSpan TenantRecheck = TimeSpan.FromSeconds(2);
    private DateTimeOffset _tenantCheckedAt = DateTimeOffset.MinValue;
    private bool _tenantSuspended;

    private string AccountId => this.GetPrimaryKeyString();

    private bool Exists => state.RecordExists && state.State.TenantId is not null && !state.State.Deleted;

    /// <inheritdoc />
    public async Task<AccountInfo> CreateAsync(string tenantId, string address, string password, long quotaBytes)
    {
        if (Exists) throw new MailException(MailErrorCode.AlreadyExists, $"Account {AccountId} already exists.");
        PasswordPolicy.Check(password);
        state.State = new AccountState
        {
            TenantId = tenantId,
            Address = address,
            PasswordHash = await hasher.HashAsync(password),
            QuotaBytes = quotaBytes,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IMailboxGrain>(AccountId).ProvisionAsync(tenantId, quotaBytes);
        var info = ToInfo();
        await directory.UpsertAccountAsync(info);
        return info;
    }

    /// <inheritdoc />
    [ReadOnly]
    public Task<AccountInfo?> GetAsync() => Task.FromResult(Exists ? ToInfo() : null);

    /// <inheritdoc />
    public Task<AccountInfo?> AuthenticateAsync(string password) => CheckPasswordAsync(password, allowAppPasswords: true);

    /// <inheritdoc />
    public Task<AccountInfo?> AuthenticatePasswordAsync(string password) => CheckPasswordAsync(password, allowAppPasswords: false);

    /// <inheritdoc />
    public async Task<ApiKeyGrant?> AuthenticateApiKeyAsync(string apiKey)
    {
        if (!Exists || ApiKeyFormat.AccountIdOf(apiKey) != AccountId) return null;
        var key = state.State.Secrets.FirstOrDefault(s => s.Kind == AccountSecret.ApiKey && SecretDigest.Matches(apiKey, s.Digest));
        if (key is null || key.ExpiresAt <= DateTimeOffset.UtcNow) return null;
        if (state.State.Suspended || await TenantSuspendedAsync()) return null;
        return new ApiKeyGrant(ToInfo(), key.Scope ?? ApiKeyScopes.Full);
    }

    /// <inheritdoc />
    [ReadOnly]
    public async Task<bool> IsCurrentAsync(int tokenVersion)
    {
        if (!Exists || state.State.Suspended || tokenVersion != state.State.TokenVersion) return false;
        // Asked on every API request and mail command, so the tenant's standing is re-read at most every few
        // seconds: a tenant suspension still ends sessions within that time.
        if (DateTimeOffset.UtcNow - _tenantCheckedAt > TenantRecheck)
        {
            _tenantSuspended = await TenantSuspendedAsync();
            _tenantCheckedAt = DateTimeOffset.UtcNow;
        }
        return !_tenantSuspended;
    }

    /// <inheritdoc />
    public async Task SetPasswordAsync(string password)
    {
        RequireExists();
        PasswordPolicy.Check(password);
        state.State.PasswordHash = await hasher.HashAsync(password);
        state.State.TokenVersion++;
        _verifiedPassword = null;
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public Task<NewSecret> CreateAppPasswordAsync(string name) => AddSecretAsync(name, AccountSecret.AppPassword, SecretDigest.NewSecret(), null, null);

    /// <inheritdoc />
    public Task<NewSecret> CreateApiKeyAsync(string name, string scope = ApiKeyScopes.Full, DateTimeOffset? expiresAt = null)
    {
        if (!ApiKeyScopes.IsValid(scope))
        {
            throw new MailException(MailErrorCode.Invalid, $"Scope must be {ApiKeyScopes.Send}, {ApiKeyScopes.Read} or {ApiKeyScopes.Full}.");
        }
        if (expiresAt <= DateTimeOffset.UtcNow) throw new MailException(MailErrorCode.Invalid, "expires_at must be in the future.");
        return AddSecretAsync(name, AccountSecret.ApiKey, ApiKeyFormat.Compose(AccountId, SecretDigest.NewSecret()), scope, expiresAt);
    }

    /// <inheritdoc />
    public async Task RevokeSecretAsync(string secretId)
    {
        RequireExists();
        if (state.State.Secrets.RemoveAll(s => s.Id == secretId) == 0)
        {
            throw new MailException(MailErrorCode.NotFound, $"No app password or API key with id {secretId}.");
        }
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public async Task AddAliasAsync(string alias)
    {
        RequireExists();
        var normalized = AddressKey.Normalize(alias) ?? throw new MailException(MailErrorCode.Invalid, $"'{alias}' is not an e-mail address.");
        var domain = await GrainFactory.GetGrain<IDomainGrain>(AddressKey.DomainOf(normalized)).GetAsync();
        if (domain?.TenantId != state.State.TenantId)
        {
            throw new MailException(MailErrorCode.Invalid, $"The domain of {normalized} is not one of this tenant's domains.");
        }
        if (state.State.Aliases.Contains(normalized) || normalized == state.State.Address) return;
        if (!await GrainFactory.GetGrain<IAddressGrain>(normalized).ClaimAsync(new AddressRoute(AccountId, state.State.TenantId!)))
        {
            throw new MailException(MailErrorCode.AlreadyExists, $"{normalized} is already in use.");
        }
        state.State.Aliases.Add(normalized);
        await state.WriteStateAsync();
        await directory.UpsertAliasAsync(normalized, AccountId, state.State.TenantId!);
    }

    /// <inheritdoc />
    public async Task RemoveAliasAsync(string alias)
    {
        RequireExists();
        var normalized = AddressKey.Normalize(alias);
        if (normalized is null || !state.State.Aliases.Remove(normalized))
        {
            throw new MailException(MailErrorCode.NotFound, $"{alias} is not an alias of this account.");
        }
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IAddressGrain>(normalized).ReleaseAsync(AccountId);
        await directory.DeleteAliasAsync(normalized);
    }

    /// <inheritdoc />
    public async Task SetQuotaAsync(long quotaBytes)
    {
        RequireExists();
        if (quotaBytes <= 0) throw new MailException(MailErrorCode.Invalid, "Quota must be a positive number of bytes.");
        state.State.QuotaBytes = quotaBytes;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IMailboxGrain>(AccountId).SetQuotaLimitAsync(quotaBytes);
        await directory.UpsertAccountAsync(ToInfo());
    }

    /// <inheritdoc />
    public async Task SetSuspendedAsync(bool suspended)
    {
        RequireExists();
        if (suspended && !state.State.Suspended) state.State.TokenVersion++;
        state.State.Suspended = suspended;
        await state.WriteStateAsync();
        await directory.UpsertAccountAsync(ToInfo());
    }

    /// <inheritdoc />
    public async Task DeleteAsync()
    {
        RequireExists();
        state.State.Deleted = true;
        await state.WriteStateAsync();
        foreach (var address in state.State.Aliases.Append(state.State.Address))
        {
            await GrainFactory.GetGrain<IAddressGrain>(address).ReleaseAsync(AccountId);
        }
        foreach (var alias in state.State.Aliases) await directory.DeleteAliasAsync(alias);
        await GrainFactory.GetGrain<IMailboxGrain>(AccountId).PurgeAsync();
        await directory.DeleteAccountAsync(AccountId);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SecretInfo>> ListSecretsAsync()
    {
        RequireExists();
        IReadOnlyList<SecretInfo> secrets = state.State.Secrets
            .OrderBy(s => s.CreatedAt)
            .Select(s => new SecretInfo(s.Id, s.Name, s.Kind, s.CreatedAt, s.Scope, s.ExpiresAt))
            .ToList();
        return Task.FromResult(secrets);
    }

    private async Task<NewSecret> AddSecretAsync(string name, string kind, string secret, string? scope, DateTimeOffset? expiresAt)
    {
        RequireExists();
        var entry = new AccountSecret
        {
            Id = Guid.NewGuid().ToString("N")[..12],
            Name = string.IsNullOrWhiteSpace(name) ? kind : name.Trim(),
            Kind = kind,
            Digest = SecretDigest.Of(secret),
            CreatedAt = DateTimeOffset.UtcNow,
            Scope = scope,
            ExpiresAt = expiresAt,
        };
        state.State.Secrets.Add(entry);
        await state.WriteStateAsync();
        return new NewSecret(entry.Id, entry.Name, secret);
    }

    // The password is hashed before the account's standing is looked at, so a suspended account answers as slowly
    // as an active one and timing tells nothing; a missing account costs the same through the decoy.
    private async Task<AccountInfo?> CheckPasswordAsync(string password, bool allowAppPasswords)
    {
        if (!Exists)
        {
            await hasher.VerifyDecoyAsync(password);
            return null;
        }
        if (allowAppPasswords && state.State.Secrets.Any(s => s.Kind == AccountSecret.AppPassword && SecretDigest.Matches(password, s.Digest)))
        {
            return await StandingAsync();
        }
        var keyed = HMACSHA256.HashData(_cacheKey, Encoding.UTF8.GetBytes(password));
        if (_verifiedPassword is null || !CryptographicOperations.FixedTimeEquals(keyed, _verifiedPassword))
        {
            if (!await hasher.VerifyAsync(password, state.State.PasswordHash)) return null;
            _verifiedPassword = keyed;
        }
        return await StandingAsync();
    }

    private async Task<AccountInfo?> StandingAsync() =>
        state.State.Suspended || await TenantSuspendedAsync() ? null : ToInfo();

    private async Task<bool> TenantSuspendedAsync() =>
        (await GrainFactory.GetGrain<ITenantGrain>(state.State.TenantId!).GetAsync()).Suspended;

    private void RequireExists()
    {
        if (!Exists) throw new MailException(MailErrorCode.NotFound, $"Account {AccountId} does not exist.");
    }

    private AccountInfo ToInfo() => new(
        AccountId, state.State.TenantId!, state.State.Address, state.State.Aliases.ToArray(),
        state.State.QuotaBytes, state.State.Suspended, state.State.CreatedAt, state.State.TokenVersion);
}
