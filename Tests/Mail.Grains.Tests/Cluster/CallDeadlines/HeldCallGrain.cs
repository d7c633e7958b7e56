using Orleans.Concurrency;
using Orleans.Placement;

namespace Mail.Grains.Tests.Cluster.CallDeadlines;

/// <summary>
/// <see cref="IHeldCallGrain"/>: the first call of each method, in the whole process, waits on <see cref="Held"/>, so the
/// test can kill the silo with the call in flight; counts every call. Placed at random, so some keys land on each silo.
/// </summary>
[RandomPlacement]
public sealed class HeldCallGrain(ILocalSiloDetails silo) : Grain, IHeldCallGrain
{
    /// <summary>What held calls wait for; completed when the test ends.</summary>
    public static TaskCompletionSource Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Calls of <see cref="ReadAsync"/> so far, across silos.</summary>
    public static int Reads;

    /// <summary>Calls of <see cref="WriteAsync"/> so far, across silos.</summary>
    public static int Writes;

    /// <inheritdoc />
    [ReadOnly]
    public Task<string> WhereAsync() => Task.FromResult(silo.SiloAddress.ToString());

    /// <inheritdoc />
    [ReadOnly]
    public async Task<string> ReadAsync()
    {
        if (Interlocked.Increment(ref Reads) == 1) await Held.Task;
        return silo.SiloAddress.ToString();
    }

    /// <inheritdoc />
    public async Task<string> WriteAsync()
    {
        if (Interlocked.Increment(ref Writes) == 1) await Held.Task;
        return silo.SiloAddress.ToString();
    }
}
