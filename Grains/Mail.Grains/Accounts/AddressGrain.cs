using Mail.Grains.Interfaces.Accounts;

namespace Mail.Grains.Accounts;

/// <summary>Owns where one address routes.</summary>
public sealed class AddressGrain(
    [PersistentState("address", Interfaces.Names.GrainStorage)] IPersistentState<AddressState> state) : Grain, IAddressGrain
{
    /// <inheritdoc />
    public async Task<bool> ClaimAsync(AddressRoute route)
    {
        if (state.State.AccountId is not null) return state.State.AccountId == route.AccountId;
        state.State = new AddressState { AccountId = route.AccountId, TenantId = route.TenantId };
        await state.WriteStateAsync();
        return true;
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(string accountId)
    {
        if (state.State.AccountId != accountId) return;
        await state.ClearStateAsync();
        state.State = new AddressState();
    }

    /// <inheritdoc />
    public Task<AddressRoute?> ResolveAsync() =>
        Task.FromResult(state.State.AccountId is null ? null : new AddressRoute(state.State.AccountId, state.State.TenantId!));
}
