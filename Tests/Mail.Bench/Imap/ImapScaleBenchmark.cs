using System.Buffers;
using System.Globalization;
using Mail.Bench.Memory;
using Mail.Bench.Seeding;
using Mail.Frontends.Hosting;
using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Silo;
using Mail.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using Orleans.Runtime;

namespace Mail.Bench.Imap;

/// <summary>
/// imap-scale: the real host in this process (so its managed heap can be measured), the demo user's INBOX seeded with
/// --count messages by SQL while its mailbox grain is deactivated, then over plain IMAP on loopback: the first SELECT
/// (grain activation and map load), --selects SELECTs for p50/p99, FETCH 1:* (FLAGS) and UID SEARCH UNSEEN (the median of
/// --runs each), and the managed heap growth when --sessions more logged-in sessions select the folder, per session.
/// </summary>
public static class ImapScaleBenchmark
{
    private const string User = "alice@example.test";
    private const string Password = "demo-password";

    /// <summary>Runs the benchmark on the database <paramref name="connectionString"/> and prints its figure lines.</summary>
    public static async Task<int> RunAsync(BenchArguments options)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var connectionString = options.Required("db");
        var count = options.Int("count", 1_000_000);
        var selects = options.Int("selects", 200);
        var runs = options.Int("runs", 3);
        var sessions = options.Int("sessions", 100);
        using var dataDir = new TempDirectory();
        TestKeys.EnsureMasterKey(dataDir.Path);
        var imapPort = FreePort.Next();
        var overrides = new Dictionary<string, string?>
        {
            ["Mail:DataDir"] = dataDir.Path,
            ["Mail:Database"] = connectionString,
            ["Mail:Demo"] = "true",
            ["Mail:Cluster:ClusterId"] = "bench-imap-scale",
            ["Mail:Cluster:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Mail:Cluster:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Mail:Http:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Mail:Passwords:MemoryKib"] = "1024",
            ["Mail:Passwords:Iterations"] = "1",
            ["Mail:Imap:Port"] = imapPort.ToString(CultureInfo.InvariantCulture),
            ["Mail:Imap:TlsPort"] = "0",
            ["Mail:Imap:AllowPlaintextAuth"] = "true",
            ["Mail:Imap:MaxConnectionsPerIp"] = (sessions + 10).ToString(CultureInfo.InvariantCulture),
            ["Mail:Smtp:MxPort"] = "0",
            ["Mail:Smtp:SubmissionPort"] = "0",
            ["Mail:Smtp:SubmissionTlsPort"] = "0",
            ["Mail:Pop3:Port"] = "0",
            ["Mail:Pop3:TlsPort"] = "0",
            ["Mail:ManageSieve:Port"] = "0",
            // stdout carries the figure lines only.
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:Console:LogToStandardErrorThreshold"] = "Trace",
        };
        await using var app = await MailHost.CreateAsync([], overrides);
        await app.StartAsync();
        var grains = app.Services.GetRequiredService<IGrainFactory>();

        var mailbox = await SeedAsync(grains, app.Services.GetRequiredService<ReadinessState>(), connectionString, count);
        var before = HeapSnapshot.Take();
        await using var first = await RawImapClient.LoginAsync(imapPort, User, Password);
        var cold = await RunAsync(first, "SELECT INBOX");
        if (!cold.Completion.Contains("SELECT completed", StringComparison.Ordinal)) throw new InvalidOperationException(cold.Completion);
        var map = HeapSnapshot.Take().ManagedBytes - before.ManagedBytes;
        var latencies = new List<double>(selects);
        for (var i = 0; i < selects; i++) latencies.Add((await RunAsync(first, "SELECT INBOX")).Elapsed.TotalMilliseconds);
        latencies.Sort();
        Print($"imap-scale: SELECT of {count} messages: p50 {Percentile(latencies, 0.50):F2} ms, p99 {Percentile(latencies, 0.99):F2} ms " +
            $"({selects} SELECTs after the first, which activated the grain and loaded its map of the folder in {cold.Elapsed.TotalMilliseconds:F0} ms)");

        var fetches = new List<ImapRun>();
        for (var i = 0; i < runs; i++) fetches.Add(await RunAsync(first, "FETCH 1:* (FLAGS)", expectedLines: count));
        var fetch = fetches.OrderBy(r => r.Elapsed).ElementAt(runs / 2);
        Print($"imap-scale: FETCH 1:* (FLAGS) of {count} messages in {fetch.Elapsed.TotalSeconds:F2} s ({fetch.Bytes / 1048576.0:F1} MB, " +
            $"{count / fetch.Elapsed.TotalSeconds:F0} messages/s; median of {Times(fetches)})");

        long found = 0;
        var searches = new List<ImapRun>();
        for (var i = 0; i < runs; i++)
        {
            searches.Add(await RunAsync(first, "UID SEARCH UNSEEN", onUntagged: line => found = CountNumbers(line)));
        }
        var search = searches.OrderBy(r => r.Elapsed).ElementAt(runs / 2);
        var unseen = (await mailbox.ListFoldersAsync()).Single(f => f.Name == SpecialFolders.Inbox).UnseenCount;
        if (found != unseen) throw new InvalidOperationException($"UID SEARCH UNSEEN found {found} messages, the folder has {unseen} unseen");
        Print($"imap-scale: UID SEARCH UNSEEN of {count} messages in {search.Elapsed.TotalMilliseconds:F0} ms ({found} UIDs; median of {Times(searches)})");

        var others = new List<RawImapClient>(sessions);
        try
        {
            for (var i = 0; i < sessions; i++) others.Add(await RawImapClient.LoginAsync(imapPort, User, Password));
            var loggedIn = HeapSnapshot.Take();
            foreach (var client in others) await RunAsync(client, "SELECT INBOX");
            var selected = HeapSnapshot.Take();
            var perSession = (selected.ManagedBytes - loggedIn.ManagedBytes) / (double)sessions;
            Print($"imap-scale: {sessions} sessions selecting the folder: {perSession:F0} bytes each = {perSession / count:F4} bytes per message " +
                $"(managed heap delta; the grain's map of the folder, which they share, is {map / 1048576.0:F1} MB = {map / (double)count:F1} bytes per message)");
        }
        finally
        {
            foreach (var client in others) await client.DisposeAsync();
        }
        await app.StopAsync();
        return 0;
    }

    /// <summary>
    /// Deactivates the demo user's mailbox grain, seeds its INBOX by SQL (the grain loads its counters on activation, so
    /// it must not be active), and checks that the next activation sees the seeded messages.
    /// </summary>
    private static async Task<IMailboxGrain> SeedAsync(IGrainFactory grains, ReadinessState readiness, string connectionString, int count)
    {
        // The demo seeder marks the host ready once alice and bob exist.
        for (var i = 0; i < 1200 && !readiness.IsReady; i++) await Task.Delay(100);
        var route = await grains.GetGrain<IAddressGrain>(User).ResolveAsync();
        if (!readiness.IsReady || route is null) throw new InvalidOperationException($"the demo user {User} was not created");
        var mailbox = grains.GetGrain<IMailboxGrain>(route.AccountId);
        await mailbox.SetQuotaLimitAsync(long.MaxValue / 2);
        await grains.GetGrain<IManagementGrain>(0).DeactivateGrain(mailbox.GetGrainId(), CancellationToken.None);
        await Console.Error.WriteLineAsync($"imap-scale: seeding {count} messages");
        var seeded = await MailboxSeeder.RunAsync(connectionString, User, count);
        if (seeded != 0) throw new InvalidOperationException("seeding failed");
        var quota = await mailbox.GetQuotaAsync();
        if (quota.MessageCount != count) throw new InvalidOperationException($"the mailbox grain sees {quota.MessageCount} messages, not the {count} seeded: it was not deactivated");
        return mailbox;
    }

    private static async Task<ImapRun> RunAsync(RawImapClient client, string command, long expectedLines = -1, Action<ReadOnlySequence<byte>>? onUntagged = null)
    {
        var run = await client.RunAsync(command, onUntagged);
        if (!run.Ok) throw new InvalidOperationException($"{command}: {run.Completion}");
        if (expectedLines >= 0 && run.Lines != expectedLines) throw new InvalidOperationException($"{command}: {run.Lines} responses, expected {expectedLines}");
        return run;
    }

    /// <summary>How many numbers a "* SEARCH n n n" line holds.</summary>
    private static long CountNumbers(ReadOnlySequence<byte> line)
    {
        long spaces = 0;
        foreach (var segment in line) spaces += segment.Span.Count((byte)' ');
        return spaces - 1;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static string Times(IEnumerable<ImapRun> runs) => string.Join(", ", runs.Select(r => r.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) + " s"));

    private static void Print(string line) => Console.WriteLine(line);
}
