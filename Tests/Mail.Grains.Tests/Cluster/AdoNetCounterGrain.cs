using Mail.Grains.Interfaces;

namespace Mail.Grains.Tests.Cluster;

/// <summary>Counts in ADO.NET grain storage; a fresh id per activation tells activations apart.</summary>
public sealed class AdoNetCounterGrain(
    [PersistentState("counter", Names.GrainStorage)] IPersistentState<AdoNetCounterState> state,
    ILocalSiloDetails silo) : Grain, IAdoNetCounterGrain
{
    private readonly Guid _activationId = Guid.NewGuid();

    /// <inheritdoc />
    public async Task<AdoNetCounterSnapshot> IncrementAsync()
    {
        state.State.Count++;
        await state.WriteStateAsync();
        return Snapshot();
    }

    /// <inheritdoc />
    public Task<AdoNetCounterSnapshot> GetAsync() => Task.FromResult(Snapshot());

    /// <inheritdoc />
    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    private AdoNetCounterSnapshot Snapshot() =>
        new(state.State.Count, _activationId, silo.SiloAddress.ToString(), state.Etag);
}
