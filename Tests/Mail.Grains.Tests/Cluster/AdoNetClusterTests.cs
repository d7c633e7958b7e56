using System.Globalization;
using Mail.Grains.Interfaces;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Mail.Grains.Tests.Cluster;

/// <summary>Membership, grain state and reminders of two silos through the ADO.NET providers and migration 0001.</summary>
public sealed class AdoNetClusterTests(AdoNetClusterFixture fixture) : IClassFixture<AdoNetClusterFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private TestCluster Cluster => fixture.Cluster;

    private string ConnectionString => fixture.Database.ConnectionString;

    [Fact]
    public async Task TwoSilosOnOneDatabaseFormOneClusterAndShareAnActivation()
    {
        var silos = Cluster.Silos.Cast<InProcessSiloHandle>().ToArray();
        Assert.Equal(2, silos.Length);
        Assert.Equal(2, await OrleansTables.CountMembersAsync(ConnectionString, AdoNetClusterFixture.ClusterId, OrleansTables.Active));
        foreach (var silo in silos)
        {
            var membership = silo.ServiceProvider.GetRequiredService<IClusterMembershipService>();
            await WaitUntilAsync(
                () => Task.FromResult(membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active)),
                active => active == 2);
        }

        var key = $"shared-{Guid.NewGuid():N}";
        var fromFirst = await silos[0].ServiceProvider.GetRequiredService<IGrainFactory>()
            .GetGrain<IAdoNetCounterGrain>(key).IncrementAsync();
        var fromSecond = await silos[1].ServiceProvider.GetRequiredService<IGrainFactory>()
            .GetGrain<IAdoNetCounterGrain>(key).IncrementAsync();
        var fromClient = await Cluster.Client.GetGrain<IAdoNetCounterGrain>(key).GetAsync();

        Assert.Equal(1, fromFirst.Count);
        Assert.Equal(2, fromSecond.Count);
        Assert.Equal(2, fromClient.Count);
        Assert.Equal(fromFirst.ActivationId, fromSecond.ActivationId);
        Assert.Equal(fromFirst.ActivationId, fromClient.ActivationId);
        Assert.Contains(fromFirst.Silo, silos.Select(s => s.SiloAddress.ToString()));
    }

    [Fact]
    public async Task MembershipTableReadsRowsKeepsHeartbeatsMonotonicAndRejectsStaleVersions()
    {
        var silo = Cluster.Silos.Cast<InProcessSiloHandle>().First();
        var table = silo.ServiceProvider.GetRequiredService<IMembershipTable>();

        var all = await table.ReadAllAsync();
        Assert.Equal(2, all.Members.Count(m => m.Item1.Status == SiloStatus.Active));
        var own = await table.ReadRowAsync(silo.SiloAddress);
        var entry = Assert.Single(own.Members).Item1;
        Assert.Equal(silo.SiloAddress, entry.SiloAddress);
        Assert.Equal(SiloStatus.Active, entry.Status);
        Assert.Equal(all.Version.Version, own.Version.Version);

        var version = own.Version.Version;
        var stale = new TableVersion(version, (version - 1).ToString(CultureInfo.InvariantCulture));
        Assert.False(await table.UpdateRowAsync(entry, stale.VersionEtag, stale));
        Assert.False(await table.InsertRowAsync(entry, stale));
        // Current version but an existing row: the insert fails and must not bump the version either.
        Assert.False(await table.InsertRowAsync(entry, own.Version));
        Assert.Equal(version, (await table.ReadAllAsync()).Version.Version);

        var later = DateTime.UtcNow.AddMinutes(1);
        entry.IAmAliveTime = later;
        await table.UpdateIAmAliveAsync(entry);
        entry.IAmAliveTime = later.AddMinutes(-10);
        await table.UpdateIAmAliveAsync(entry);
        var heartbeat = Assert.Single((await table.ReadRowAsync(silo.SiloAddress)).Members).Item1.IAmAliveTime;
        Assert.Equal(later, heartbeat, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task GrainStateIsReloadedFromPostgresAfterDeactivation()
    {
        var key = $"reload-{Guid.NewGuid():N}";
        var grain = Cluster.Client.GetGrain<IAdoNetCounterGrain>(key);
        await grain.IncrementAsync();
        await grain.IncrementAsync();
        var before = await grain.IncrementAsync();
        Assert.Equal(3, before.Count);
        Assert.Equal("3", before.ETag);
        Assert.Equal((3, true), await OrleansTables.ReadStateRowAsync(ConnectionString, AdoNetClusterFixture.ServiceId, key));

        await grain.DeactivateAsync();
        var after = await WaitUntilAsync(grain.GetAsync, snapshot => snapshot.ActivationId != before.ActivationId);

        Assert.Equal(3, after.Count);
        Assert.Equal("3", after.ETag);
    }

    [Fact]
    public async Task StaleWritesAndClearsAreRejectedAsInconsistentState()
    {
        var storage = Cluster.Silos.Cast<InProcessSiloHandle>().First().ServiceProvider
            .GetRequiredKeyedService<IGrainStorage>(Names.GrainStorage);
        // A Guid key is stored as two bigints with a NULL key extension: the racing inserts below then differ from
        // each other only in columns that are equal, which the NULLS NOT DISTINCT unique key has to catch.
        var grainId = GrainId.Create("adonet-probe", Guid.NewGuid().ToString("N"));
        var first = new GrainState<AdoNetCounterState>(new AdoNetCounterState());
        var second = new GrainState<AdoNetCounterState>(new AdoNetCounterState());
        await storage.ReadStateAsync("probe", grainId, first);
        await storage.ReadStateAsync("probe", grainId, second);
        Assert.False(first.RecordExists);
        Assert.Null(first.ETag);

        first.State = new AdoNetCounterState { Count = 1 };
        await storage.WriteStateAsync("probe", grainId, first);
        Assert.Equal("1", first.ETag);

        // Both saw no row: the second first-write must not overwrite the first.
        second.State = new AdoNetCounterState { Count = 10 };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("probe", grainId, second));

        await storage.ReadStateAsync("probe", grainId, second);
        Assert.Equal(1, second.State?.Count);
        Assert.Equal("1", second.ETag);

        first.State = new AdoNetCounterState { Count = 2 };
        await storage.WriteStateAsync("probe", grainId, first);
        Assert.Equal("2", first.ETag);

        second.State = new AdoNetCounterState { Count = 20 };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("probe", grainId, second));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("probe", grainId, second));

        await storage.ClearStateAsync("probe", grainId, first);
        Assert.Equal("3", first.ETag);
        Assert.False(first.RecordExists);

        var reread = new GrainState<AdoNetCounterState>(new AdoNetCounterState());
        await storage.ReadStateAsync("probe", grainId, reread);
        Assert.False(reread.RecordExists);
        Assert.Equal("3", reread.ETag);
        Assert.Equal(0, reread.State?.Count);

        reread.State = new AdoNetCounterState { Count = 4 };
        await storage.WriteStateAsync("probe", grainId, reread);
        Assert.Equal("4", reread.ETag);
        Assert.True(reread.RecordExists);
    }

    [Fact]
    public async Task DeleteStateOnClearRemovesTheRowOnlyAtTheCurrentVersion()
    {
        var storage = Cluster.Silos.Cast<InProcessSiloHandle>().First().ServiceProvider
            .GetRequiredKeyedService<IGrainStorage>(AdoNetTestCluster.DeletingStorage);
        // Not a bare Guid: the provider would store that as two bigints, and the row lookup below goes by string key.
        var key = $"delete-{Guid.NewGuid():N}";
        var grainId = GrainId.Create("adonet-probe", key);
        var current = new GrainState<AdoNetCounterState>(new AdoNetCounterState());
        var stale = new GrainState<AdoNetCounterState>(new AdoNetCounterState());
        await storage.ReadStateAsync("probe", grainId, current);
        current.State = new AdoNetCounterState { Count = 1 };
        await storage.WriteStateAsync("probe", grainId, current);
        await storage.ReadStateAsync("probe", grainId, stale);
        current.State = new AdoNetCounterState { Count = 2 };
        await storage.WriteStateAsync("probe", grainId, current);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("probe", grainId, stale));
        Assert.Equal((2, true), await OrleansTables.ReadStateRowAsync(ConnectionString, AdoNetClusterFixture.ServiceId, key));

        await storage.ClearStateAsync("probe", grainId, current);
        Assert.Null(current.ETag);
        Assert.False(current.RecordExists);
        Assert.Null(await OrleansTables.ReadStateRowAsync(ConnectionString, AdoNetClusterFixture.ServiceId, key));

        current.State = new AdoNetCounterState { Count = 3 };
        await storage.WriteStateAsync("probe", grainId, current);
        Assert.Equal("1", current.ETag);
    }

    [Fact]
    public async Task GrainWriteAfterAnotherWriterMovedTheVersionThrowsAndTheNextActivationRereads()
    {
        var key = $"conflict-{Guid.NewGuid():N}";
        var grain = Cluster.Client.GetGrain<IAdoNetCounterGrain>(key);
        var before = await grain.IncrementAsync();

        await OrleansTables.BumpStateVersionAsync(ConnectionString, AdoNetClusterFixture.ServiceId, key);

        await Assert.ThrowsAsync<InconsistentStateException>(grain.IncrementAsync);
        var recovered = await WaitUntilAsync(grain.GetAsync, snapshot => snapshot.ActivationId != before.ActivationId);
        Assert.Equal("2", recovered.ETag);
        Assert.Equal(1, recovered.Count);
        Assert.Equal(2, (await grain.IncrementAsync()).Count);
    }

    [Fact]
    public async Task ReminderIsStoredFiresAndIsRemoved()
    {
        var grain = Cluster.Client.GetGrain<IAdoNetReminderGrain>($"tick-{Guid.NewGuid():N}");
        var period = TimeSpan.FromMinutes(1);

        await grain.RegisterAsync("tick", TimeSpan.FromSeconds(1), period);

        Assert.Equal((long)period.TotalMilliseconds,
            await OrleansTables.ReadReminderPeriodAsync(ConnectionString, AdoNetClusterFixture.ServiceId, grain.GetGrainId(), "tick"));
        Assert.Equal(["tick"], await grain.GetReminderNamesAsync());
        await WaitUntilAsync(grain.GetTicksAsync, ticks => ticks >= 1);

        Assert.True(await grain.UnregisterAsync("tick"));
        Assert.Null(await OrleansTables.ReadReminderPeriodAsync(ConnectionString, AdoNetClusterFixture.ServiceId, grain.GetGrainId(), "tick"));
        Assert.False(await grain.HasReminderAsync("tick"));
    }

    private static async Task<T> WaitUntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) Assert.Fail($"Condition not met within {Patience}; last value: {value}");
            await Task.Delay(100);
        }
    }
}
