using Mail.Grains.Interfaces.Accounts;
using Orleans.Storage;

namespace Mail.Grains.Accounts;

/// <summary>
/// Owns where one address routes. A bulk import (<see cref="AccountBatchStore"/>) claims free addresses by writing their
/// state rows directly, so an activation that holds "free" may be behind: it reads its row again before answering "free"
/// (except on the call that activated it, which has just read it), and a claim it tries on a row claimed meanwhile fails
/// on the version check and is answered from the row.
/// </summary>
public sealed class AddressGrain(
    [PersistentState(AddressGrain.StateName, Interfaces.Names.GrainStorage)] IPersistentState<AddressState> state) : Grain, IAddressGrain
{
    /// <summary>The name of the address's state (the grain_type_string of its storage rows).</summary>
    public const string StateName = "address";

    private bool _freshlyRead = true;

    /// <inheritdoc />
    public async Task<bool> ClaimAsync(AddressRoute route)
    {
        _freshlyRead = false;
        if (state.State.AccountId is not null) return state.State.AccountId == route.AccountId;
        state.State = new AddressState { AccountId = route.AccountId, TenantId = route.TenantId };
        try
        {
            await state.WriteStateAsync();
        }
        catch (InconsistentStateException)
        {
            // Claimed in storage since this activation read it (a bulk import): the row decides.
            await state.ReadStateAsync();
            return state.State.AccountId == route.AccountId;
        }
        return true;
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(string accountId)
    {
        _freshlyRead = false;
        if (state.State.AccountId != accountId) return;
        await state.ClearStateAsync();
        state.State = new AddressState();
    }

    /// <inheritdoc />
    public async Task<AddressRoute?> ResolveAsync()
    {
        if (state.State.AccountId is null && !_freshlyRead) await state.ReadStateAsync();
        _freshlyRead = false;
        return state.State.AccountId is null ? null : new AddressRoute(state.State.AccountId, state.State.TenantId!);
    }
}
