using System.Globalization;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Silo;
using Mail.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans;
using Orleans.Runtime;

namespace Mail.Bench.Memory;

/// <summary>
/// grain-memory: the real host in this process; activates N empty mailbox grains, lets them go idle and divides
/// the growth of the managed heap by N. A first batch is activated before the baseline so that one-off costs
/// (JIT, connection pool, Orleans' first-activation caches) are not charged to the measured grains.
/// </summary>
public static class GrainMemoryBenchmark
{
    private const int WarmupMailboxes = 200;
    private const int Parallelism = 32;
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(5);

    /// <summary>Runs the benchmark on the database <paramref name="connectionString"/> and prints its figure line.</summary>
    public static async Task<int> RunAsync(string connectionString, int count)
    {
        using var dataDir = new TempDirectory();
        TestKeys.EnsureMasterKey(dataDir.Path);
        var overrides = new Dictionary<string, string?>
        {
            ["Mail:DataDir"] = dataDir.Path,
            ["Mail:Database"] = connectionString,
            ["Mail:Demo"] = "false",
            ["Mail:Cluster:ClusterId"] = "bench-memory",
            ["Mail:Cluster:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Mail:Cluster:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Mail:Http:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
            // stdout carries the figure line only.
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:Console:LogToStandardErrorThreshold"] = "Trace",
        };
        await using var app = await MailHost.CreateAsync([], overrides);
        await app.StartAsync();
        var grains = app.Services.GetRequiredService<IGrainFactory>();

        var warmup = SyntheticMailboxes.NewIds(WarmupMailboxes);
        var measured = SyntheticMailboxes.NewIds(count);
        await SyntheticMailboxes.InsertAsync(app.Services.GetRequiredService<NpgsqlDataSource>(), [.. warmup, .. measured], 1_000_000_000);
        await ActivateAsync(grains, warmup);
        await Task.Delay(Idle);
        var before = HeapSnapshot.Take();

        await ActivateAsync(grains, measured);
        await Task.Delay(Idle);
        var after = HeapSnapshot.Take();

        var active = await CountMailboxActivationsAsync(grains);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"grain-memory: {count} idle mailbox grains = {(after.ManagedBytes - before.ManagedBytes) / count} bytes each (managed heap delta)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"grain-memory: working set delta {(after.WorkingSetBytes - before.WorkingSetBytes) / count} bytes each; managed heap {before.ManagedBytes / 1048576.0:F1} -> {after.ManagedBytes / 1048576.0:F1} MB; {active} mailbox activations (incl. {WarmupMailboxes} warm-up) alive when measured"));
        await app.StopAsync();
        return active >= count + WarmupMailboxes ? 0 : 1;
    }

    private static Task ActivateAsync(IGrainFactory grains, IEnumerable<string> accountIds) =>
        Parallel.ForEachAsync(accountIds, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (id, _) =>
        {
            var quota = await grains.GetGrain<IMailboxGrain>(id).GetQuotaAsync();
            if (quota.MessageCount != 0) throw new InvalidOperationException($"mailbox {id} is not the empty one inserted");
        });

    private static async Task<int> CountMailboxActivationsAsync(IGrainFactory grains)
    {
        var statistics = await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        return statistics.Where(s => s.GrainType.Contains("MailboxGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
    }
}
