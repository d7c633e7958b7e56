using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Mail.Grains.Tests.Cluster;

/// <summary>What one cluster stored in PostgreSQL is there for the next cluster on the same database.</summary>
public sealed class AdoNetRestartTests
{
    private const string ServiceId = "adonet-restart-tests";
    private const string ClusterId = "adonet-restart";

    [Fact]
    public async Task StateAndRemindersSurviveAClusterRestart()
    {
        await using var database = await TestDatabase.CreateAsync("adonetrestarttests");
        var counterKey = $"restart-{Guid.NewGuid():N}";
        var reminderKey = $"restart-{Guid.NewGuid():N}";
        var period = TimeSpan.FromHours(1);

        await using (var first = AdoNetTestCluster.Create(database.ConnectionString, silos: 1, ServiceId, ClusterId))
        {
            await first.DeployAsync();
            var counter = first.Client.GetGrain<IAdoNetCounterGrain>(counterKey);
            await counter.IncrementAsync();
            await counter.IncrementAsync();
            // Due in an hour: this test is about the stored row, not the tick.
            await first.Client.GetGrain<IAdoNetReminderGrain>(reminderKey).RegisterAsync("nightly", TimeSpan.FromHours(1), period);
            await first.StopAllSilosAsync();
        }

        // A graceful stop leaves the silo's row behind as Dead, so the next silo does not wait to vote it out.
        Assert.Equal(1, await OrleansTables.CountMembersAsync(database.ConnectionString, ClusterId, OrleansTables.Dead));
        Assert.Equal(0, await OrleansTables.CountMembersAsync(database.ConnectionString, ClusterId, OrleansTables.Active));

        await using var second = AdoNetTestCluster.Create(database.ConnectionString, silos: 1, ServiceId, ClusterId);
        await second.DeployAsync();

        Assert.Equal(1, await OrleansTables.CountMembersAsync(database.ConnectionString, ClusterId, OrleansTables.Active));
        var table = second.Silos.Cast<InProcessSiloHandle>().Single().ServiceProvider.GetRequiredService<IMembershipTable>();
        await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow);
        Assert.Equal(0, await OrleansTables.CountMembersAsync(database.ConnectionString, ClusterId, OrleansTables.Dead));
        Assert.Equal(1, await OrleansTables.CountMembersAsync(database.ConnectionString, ClusterId, OrleansTables.Active));

        var reloaded = await second.Client.GetGrain<IAdoNetCounterGrain>(counterKey).GetAsync();
        Assert.Equal(2, reloaded.Count);
        Assert.Equal("2", reloaded.ETag);

        var reminders = second.Client.GetGrain<IAdoNetReminderGrain>(reminderKey);
        Assert.Equal(["nightly"], await reminders.GetReminderNamesAsync());
        Assert.True(await reminders.HasReminderAsync("nightly"));
        Assert.Equal((long)period.TotalMilliseconds,
            await OrleansTables.ReadReminderPeriodAsync(database.ConnectionString, ServiceId, reminders.GetGrainId(), "nightly"));

        await second.StopAllSilosAsync();
    }
}
