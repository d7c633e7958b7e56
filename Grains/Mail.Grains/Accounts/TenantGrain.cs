using Orleans.Concurrency;
using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Storage;
using Microsoft.Extensions.Options;

namespace Mail.Grains.Accounts;

/// <summary>Owns a tenant's domains and suspension, and creates its accounts.</summary>
public sealed class TenantGrain(
    [PersistentState("tenant", Interfaces.Names.GrainStorage)] IPersistentState<TenantState> state,
    IOptions<AccountDefaults> defaults,
    DirectoryTable directory,
    AccountBatchStore batches,
    PasswordHasher hasher) : Grain, ITenantGrain
{
    // Account creations interleave with each other and with every other call (ITenantGrain.CreateAccountAsync): these
    // keep a domain's removal and its new accounts apart. Turns run one at a time, so plain collections suffice.
    private readonly Dictionary<string, int> _creating = new(StringComparer.Ordinal);
    private readonly HashSet<string> _removing = new(StringComparer.Ordinal);

    private string TenantId => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public async Task<DomainInfo> AddDomainAsync(string domain)
    {
        var name = DomainName.Normalize(domain) ?? throw new MailException(MailErrorCode.Invalid, $"'{domain}' is not a domain name.");
        var grain = GrainFactory.GetGrain<IDomainGrain>(name);
        if (!await grain.ClaimAsync(TenantId))
        {
            throw new MailException(MailErrorCode.AlreadyExists, $"Domain {name} is already hosted.");
        }
        if (!state.State.Domains.Contains(name))
        {
            state.State.Domains.Add(name);
            await state.WriteStateAsync();
        }
        return (await grain.GetAsync())!;
    }

    /// <inheritdoc />
    public async Task RemoveDomainAsync(string domain)
    {
        var name = DomainName.Normalize(domain);
        if (name is null || !state.State.Domains.Contains(name))
        {
            throw new MailException(MailErrorCode.NotFound, $"Domain {domain} is not hosted by this tenant.");
        }
        // Before the first await: from here on no creation starts in this domain, and none may be under way.
        if (_creating.GetValueOrDefault(name) > 0 || !_removing.Add(name))
        {
            throw new MailException(MailErrorCode.Forbidden, $"Accounts are being created in {name} (or it is being removed); try again.");
        }
        try
        {
            if (await directory.CountAddressesAsync(name) > 0)
            {
                throw new MailException(MailErrorCode.Forbidden, $"Domain {name} still has accounts or aliases; delete them first.");
            }
            state.State.Domains.Remove(name);
            await state.WriteStateAsync();
            await GrainFactory.GetGrain<IDomainGrain>(name).ReleaseAsync(TenantId);
        }
        finally
        {
            _removing.Remove(name);
        }
    }

    /// <inheritdoc />
    public async Task<AccountInfo> CreateAccountAsync(NewAccount account)
    {
        if (state.State.Suspended) throw new MailException(MailErrorCode.Suspended, $"Tenant {TenantId} is suspended.");
        var (address, domain, quota) = CheckNew(account.Address, account.QuotaBytes);
        PasswordPolicy.Check(account.Password);
        _creating[domain] = _creating.GetValueOrDefault(domain) + 1;
        try
        {
            return await CreateClaimedAsync(address, account, quota);
        }
        finally
        {
            if (--_creating[domain] == 0) _creating.Remove(domain);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<BulkAccountOutcome>> CreateAccountsAsync(IReadOnlyList<BulkAccount> accounts)
    {
        if (accounts.Count > BulkAccount.MaxPerCall)
        {
            throw new MailException(MailErrorCode.Invalid, $"At most {BulkAccount.MaxPerCall} accounts at once.");
        }
        var outcomes = new BulkAccountOutcome[accounts.Count];
        if (state.State.Suspended)
        {
            Array.Fill(outcomes, new BulkAccountOutcome(null, $"Tenant {TenantId} is suspended."));
            return outcomes;
        }
        // Every check CreateAccountAsync makes, per entry; an entry that fails one is answered and left out.
        var staged = new List<(int Index, string Address, string Domain, long Quota, GrainStateKey Key)>();
        var keys = new HashSet<GrainStateKey>();
        for (var i = 0; i < accounts.Count; i++)
        {
            try
            {
                var (address, domain, quota) = CheckNew(accounts[i].Address, accounts[i].QuotaBytes);
                var entry = accounts[i];
                if (entry.PasswordHash is not null && entry.Password is not null)
                {
                    throw new MailException(MailErrorCode.Invalid, "Give a password or a password_hash, not both.");
                }
                if (entry.PasswordHash is not null) PasswordHashFormat.Normalize(entry.PasswordHash);
                else PasswordPolicy.Check(entry.Password ?? "");
                var key = GrainStateRows.KeyOf(AddressGrain.StateName, address);
                if (!keys.Add(key)) throw new MailException(MailErrorCode.AlreadyExists, $"{address} is already in use (earlier in this batch).");
                staged.Add((i, address, domain, quota, key));
            }
            catch (MailException e)
            {
                outcomes[i] = new BulkAccountOutcome(null, e.Message);
            }
        }
        if (staged.Count == 0) return outcomes;
        // Before the first await, as CreateAccountAsync: no removal of these domains starts until the batch is written.
        foreach (var entry in staged) _creating[entry.Domain] = _creating.GetValueOrDefault(entry.Domain) + 1;
        try
        {
            var createdAt = DateTimeOffset.UtcNow;
            var rows = await Task.WhenAll(staged.Select(async entry =>
            {
                var account = accounts[entry.Index];
                var hash = account.PasswordHash is { } given ? PasswordHashFormat.Normalize(given) : await hasher.HashAsync(account.Password!);
                var accountId = Guid.NewGuid().ToString("N");
                return new AccountBatchRow(entry.Address, entry.Domain, accountId, entry.Quota,
                    entry.Key, GrainStateRows.Payload(new AddressState { AccountId = accountId, TenantId = TenantId }),
                    GrainStateRows.KeyOf(AccountGrain.StateName, accountId),
                    GrainStateRows.Payload(new AccountState
                    {
                        TenantId = TenantId, Address = entry.Address, PasswordHash = hash, QuotaBytes = entry.Quota, CreatedAt = createdAt,
                    }));
            }));
            var claimed = await batches.CreateAsync(TenantId, rows, createdAt);
            for (var i = 0; i < staged.Count; i++)
            {
                outcomes[staged[i].Index] = claimed.Contains(rows[i].Address)
                    ? new BulkAccountOutcome(rows[i].AccountId, null)
                    : new BulkAccountOutcome(null, $"{rows[i].Address} is already in use.");
            }
            return outcomes;
        }
        finally
        {
            foreach (var entry in staged)
            {
                if (--_creating[entry.Domain] == 0) _creating.Remove(entry.Domain);
            }
        }
    }

    // The normalized address, its domain (hosted by this tenant, not under removal) and the quota (given or the default).
    private (string Address, string Domain, long Quota) CheckNew(string? requested, long? quotaBytes)
    {
        var address = AddressKey.Normalize(requested)
            ?? throw new MailException(MailErrorCode.Invalid, $"'{requested}' is not an e-mail address.");
        var domain = AddressKey.DomainOf(address);
        if (!state.State.Domains.Contains(domain) || _removing.Contains(domain))
        {
            throw new MailException(MailErrorCode.Invalid, $"The domain of {address} is not hosted by tenant {TenantId}.");
        }
        var quota = quotaBytes ?? defaults.Value.QuotaBytes;
        if (quota <= 0) throw new MailException(MailErrorCode.Invalid, "quota_bytes must be positive.");
        return (address, domain, quota);
    }

    private async Task<AccountInfo> CreateClaimedAsync(string address, NewAccount account, long quota)
    {
        var accountId = Guid.NewGuid().ToString("N");
        var addressGrain = GrainFactory.GetGrain<IAddressGrain>(address);
        if (!await addressGrain.ClaimAsync(new AddressRoute(accountId, TenantId)))
        {
            throw new MailException(MailErrorCode.AlreadyExists, $"{address} is already in use.");
        }
        try
        {
            return await GrainFactory.GetGrain<IAccountGrain>(accountId).CreateAsync(TenantId, address, account.Password, quota);
        }
        catch
        {
            await addressGrain.ReleaseAsync(accountId);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task SetSuspendedAsync(bool suspended)
    {
        state.State.Suspended = suspended;
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public async Task SetDmarcRejectActionAsync(string? action)
    {
        var normalized = action is null ? null : DmarcRejectActions.Normalize(action)
            ?? throw new MailException(MailErrorCode.Invalid, $"'{action}' is not a DMARC reject action (reject or quarantine).");
        state.State.DmarcRejectAction = normalized;
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    [ReadOnly]
    public Task<TenantInfo> GetAsync() =>
        Task.FromResult(new TenantInfo(TenantId, state.State.Domains.ToArray(), state.State.Suspended, state.State.DmarcRejectAction));

    /// <inheritdoc />
    public async Task<NewSecret> CreateApiKeyAsync(string name, string scope = ApiKeyScopes.Bulk, DateTimeOffset? expiresAt = null)
    {
        if (state.State.Domains.Count == 0) throw new MailException(MailErrorCode.NotFound, $"Tenant {TenantId} hosts no domain.");
        if (!ApiKeyScopes.IsValidForTenant(scope)) throw new MailException(MailErrorCode.Invalid, $"A tenant key's scope must be {ApiKeyScopes.Bulk}.");
        if (expiresAt <= DateTimeOffset.UtcNow) throw new MailException(MailErrorCode.Invalid, "expires_at must be in the future.");
        var secret = ApiKeyFormat.ComposeTenant(TenantId, SecretDigest.NewSecret());
        var entry = new AccountSecret
        {
            Id = Guid.NewGuid().ToString("N")[..12],
            Name = string.IsNullOrWhiteSpace(name) ? "tenant-key" : name.Trim(),
            Kind = AccountSecret.ApiKey,
            Digest = SecretDigest.Of(secret),
            CreatedAt = DateTimeOffset.UtcNow,
            Scope = scope,
            ExpiresAt = expiresAt,
        };
        state.State.ApiKeys.Add(entry);
        await state.WriteStateAsync();
        return new NewSecret(entry.Id, entry.Name, secret);
    }

    /// <inheritdoc />
    public async Task RevokeApiKeyAsync(string keyId)
    {
        if (state.State.ApiKeys.RemoveAll(k => k.Id == keyId) == 0) throw new MailException(MailErrorCode.NotFound, $"No tenant API key with id {keyId}.");
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public Task<TenantApiKeyGrant?> AuthenticateApiKeyAsync(string apiKey)
    {
        if (ApiKeyFormat.TenantIdOf(apiKey) != TenantId || state.State.Suspended) return Task.FromResult<TenantApiKeyGrant?>(null);
        var key = state.State.ApiKeys.FirstOrDefault(k => SecretDigest.Matches(apiKey, k.Digest));
        return Task.FromResult(key is null || key.ExpiresAt <= DateTimeOffset.UtcNow ? null : new TenantApiKeyGrant(TenantId, key.Scope ?? ApiKeyScopes.Bulk));
    }
}
