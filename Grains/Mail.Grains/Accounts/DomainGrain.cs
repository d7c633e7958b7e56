using Orleans.Concurrency;
using Mail.Grains.Interfaces.Accounts;

namespace Mail.Grains.Accounts;

/// <summary>Owns which tenant hosts a domain.</summary>
public sealed class DomainGrain(
    [PersistentState("domain", Interfaces.Names.GrainStorage)] IPersistentState<DomainState> state,
    DirectoryTable directory) : Grain, IDomainGrain
{
    private string Domain => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public async Task<bool> ClaimAsync(string tenantId)
    {
        if (state.State.TenantId is not null) return state.State.TenantId == tenantId;
        state.State = new DomainState { TenantId = tenantId, CreatedAt = DateTimeOffset.UtcNow };
        await state.WriteStateAsync();
        await directory.UpsertDomainAsync(new DomainInfo(Domain, tenantId, state.State.CreatedAt));
        return true;
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(string tenantId)
    {
        if (state.State.TenantId != tenantId) return;
        await state.ClearStateAsync();
        state.State = new DomainState();
        await directory.DeleteDomainAsync(Domain);
    }

    /// <inheritdoc />
    [ReadOnly]
    public Task<DomainInfo?> GetAsync() =>
        Task.FromResult(state.State.TenantId is null ? null : new DomainInfo(Domain, state.State.TenantId, state.State.CreatedAt));
}
