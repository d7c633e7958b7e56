using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Errors;
using Microsoft.Extensions.Options;

namespace Mail.Grains.Accounts;

/// <summary>Owns a tenant's domains and suspension, and creates its accounts.</summary>
public sealed class TenantGrain(
    [PersistentState("tenant", Interfaces.Names.GrainStorage)] IPersistentState<TenantState> state,
    IOptions<AccountDefaults> defaults,
    DirectoryTable directory) : Grain, ITenantGrain
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
        var address = AddressKey.Normalize(account.Address)
            ?? throw new MailException(MailErrorCode.Invalid, $"'{account.Address}' is not an e-mail address.");
        var domain = AddressKey.DomainOf(address);
        if (!state.State.Domains.Contains(domain) || _removing.Contains(domain))
        {
            throw new MailException(MailErrorCode.Invalid, $"The domain of {address} is not hosted by tenant {TenantId}.");
        }
        var quota = account.QuotaBytes ?? defaults.Value.QuotaBytes;
        if (quota <= 0) throw new MailException(MailErrorCode.Invalid, "quota_bytes must be positive.");
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
