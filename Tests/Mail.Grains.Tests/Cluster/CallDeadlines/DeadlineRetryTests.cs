using System.Diagnostics;
using Orleans.TestingHost;

namespace Mail.Grains.Tests.Cluster.CallDeadlines;

/// <summary>
/// A frontend-only process's call that its gateway forwarded to a silo which then died is answered by nobody; a read
/// (<see cref="Mail.Silo.Cluster.DeadlineRetry"/>) is sent again after its attempt deadline and answered by a new
/// activation on a surviving silo, while a write is not repeated. Two real silos and an external client, the client
/// connected only to the primary's gateway so that every call to the secondary is forwarded.
/// </summary>
public sealed class DeadlineRetryTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(2);
        builder.PortAllocator = new Mail.Grains.Tests.Infrastructure.FreePortAllocator();
        builder.Options.GatewayPerSilo = false;
        builder.Options.ConfigureFileLogging = false;
        builder.AddSiloBuilderConfigurator<QuickDeathSiloConfigurator>();
        builder.AddClientBuilderConfigurator<DeadlineRetryClientConfigurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        await _cluster.WaitForLivenessToStabilizeAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        HeldCallGrain.Held.TrySetResult();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task AReadInFlightToAKilledSiloIsSentAgainAndAWriteIsNot()
    {
        var secondary = _cluster.SecondarySilos[0];
        var grain = await OnSiloAsync(secondary.SiloAddress.ToString());
        var write = await OnSiloAsync(secondary.SiloAddress.ToString(), after: grain.GetPrimaryKeyLong() + 1);

        var read = grain.ReadAsync();
        var written = write.WriteAsync();
        await Task.Delay(500);
        Assert.False(read.IsCompleted);
        var clock = Stopwatch.StartNew();
        await _cluster.KillSiloAsync(secondary);

        // The read is answered by a new activation on the primary, within a few attempt deadlines, not Orleans' 20 s here.
        Assert.Equal(_cluster.Primary!.SiloAddress.ToString(), await read.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"answered after {clock.Elapsed}");
        Assert.True(HeldCallGrain.Reads >= 2, $"{HeldCallGrain.Reads} reads");

        // The write waits out the response timeout and fails; it is never sent again.
        await Assert.ThrowsAsync<TimeoutException>(() => written.WaitAsync(TimeSpan.FromSeconds(40)));
        Assert.Equal(1, HeldCallGrain.Writes);
    }

    // A grain (key above after) whose activation lives on the given silo; placement is random, so keys are tried in turn.
    private async Task<IHeldCallGrain> OnSiloAsync(string silo, long after = 0)
    {
        for (var key = after; key < after + 200; key++)
        {
            var grain = _cluster.Client.GetGrain<IHeldCallGrain>(key);
            if (await grain.WhereAsync() == silo) return grain;
        }
        throw new InvalidOperationException($"No activation landed on {silo}.");
    }
}
