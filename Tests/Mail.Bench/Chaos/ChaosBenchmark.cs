using System.Diagnostics;
using System.Globalization;
using System.Net;
using Mail.Bench.Delivery;
using Mail.Testing;

namespace Mail.Bench.Chaos;

/// <summary>
/// `Mail.Bench chaos`: SMTP MX and submission, IMAP APPEND and STORE, and API sends spread over every process of a cluster
/// that infra/cluster.sh runs, while one silo is killed (SIGKILL) every few seconds and cluster.sh starts it again. At the
/// end the store is checked against what was acknowledged (<see cref="ChaosAudit"/>), and the failover windows and
/// latencies are printed.
/// </summary>
public static class ChaosBenchmark
{
    /// <summary>Seconds after a kill counted as "during" failover for the latency figures.</summary>
    private const double DuringSeconds = 10;

    // A failover's burst of temporary errors ends when this long passes without one.
    private const double BurstGapSeconds = 5;

    /// <summary>Runs the load, the kills and the audit; exit code 1 when anything acknowledged was lost or duplicated.</summary>
    public static async Task<int> RunAsync(ChaosSettings settings)
    {
        var frontends = ChaosFrontend.ReadAll(settings.ReadyFile);
        await using var sink = TestSmtpReceiver.Start(IPAddress.Loopback, settings.SinkPort);
        var apis = frontends.Select(f => new MailApiClient(new Uri($"http://127.0.0.1:{f.Http}"), 16)).ToArray();
        await CreateUsersAsync(settings, apis[0]);

        var ledger = new ChaosLedger();
        var workers = new ChaosWorkers(settings, ledger, frontends);
        using var stop = new CancellationTokenSource();
        using var giveUp = new CancellationTokenSource();
        var load = new List<Task>();
        for (var i = 0; i < settings.MxWorkers; i++) load.Add(Task.Run(() => workers.MxAsync(i, stop.Token, giveUp.Token)));
        for (var i = 0; i < settings.SubmissionWorkers; i++) load.Add(Task.Run(() => workers.SubmissionAsync(i, stop.Token, giveUp.Token)));
        for (var i = 0; i < settings.ImapWorkers; i++) load.Add(Task.Run(() => workers.ImapAsync(settings.MxWorkers + i, stop.Token, giveUp.Token)));
        for (var i = 0; i < settings.ApiWorkers; i++) load.Add(Task.Run(() => workers.ApiAsync(settings.MxWorkers + settings.ImapWorkers + i, apis, stop.Token, giveUp.Token)));
        var killer = Task.Run(() => KillLoopAsync(settings, frontends, ledger, stop.Token));

        await Task.Delay(TimeSpan.FromSeconds(settings.Seconds));
        var loadEnded = ledger.Now;
        var activations = await ChaosActivations.ReadAsync(frontends, settings.AdminToken);
        stop.Cancel();
        giveUp.CancelAfter(TimeSpan.FromSeconds(120));
        await killer;
        try
        {
            await Task.WhenAll(load);
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"chaos: a load worker stopped: {e.Message}");
        }

        // What was acknowledged for a remote recipient must reach the sink once, after the queue's retries.
        var drain = Stopwatch.StartNew();
        while (drain.Elapsed < TimeSpan.FromSeconds(180) && !ledger.Outbound.Keys.All(Arrived(sink))) await Task.Delay(500);

        var audit = await ChaosAudit.RunAsync(settings.Database, ledger, sink);
        Print(settings, ledger, audit, loadEnded, activations);
        foreach (var api in apis) api.Dispose();
        return audit.Lost == 0 && audit.Duplicated == 0 && audit.FlagsLost == 0 && audit.ChangeLogGaps == 0 && audit.OutboundLost == 0 ? 0 : 1;
    }

    private static Func<string, bool> Arrived(TestSmtpReceiver sink)
    {
        var arrived = sink.Messages.SelectMany(m => m.Recipients).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return arrived.Contains;
    }

    private static async Task CreateUsersAsync(ChaosSettings settings, MailApiClient api)
    {
        for (var i = 0; i < settings.Users; i++)
        {
            try
            {
                await api.CreateAccountAsync(settings.AdminToken, $"chaos{i}@example.test", settings.Password, null);
            }
            catch (InvalidOperationException e) when (e.Message.Contains("409", StringComparison.Ordinal))
            {
                // A second run on the same data: the account is there.
            }
        }
    }

    /// <summary>Every <see cref="ChaosSettings.KillEverySeconds"/>, once every process answers /health again, SIGKILLs the next silo.</summary>
    private static async Task KillLoopAsync(ChaosSettings settings, IReadOnlyList<ChaosFrontend> frontends, ChaosLedger ledger, CancellationToken stop)
    {
        var silos = frontends.Where(f => f.Role == "silo").ToArray();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var k = 1; ; k++)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(settings.KillEverySeconds), stop);
                while (!await AllHealthyAsync(http, frontends)) await Task.Delay(500, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var victim = silos[k % silos.Length];
            var pid = int.Parse(File.ReadAllText(Path.Combine(settings.ClusterDir, victim.Name + ".pid")).Trim(), CultureInfo.InvariantCulture);
            using var process = Process.GetProcessById(pid);
            process.Kill();
            ledger.Kills.Enqueue((ledger.Now, victim.Name));
            await Console.Error.WriteLineAsync($"chaos: {ledger.Now:F1} s: SIGKILL {victim.Name} (pid {pid})");
        }
    }

    private static async Task<bool> AllHealthyAsync(HttpClient http, IReadOnlyList<ChaosFrontend> frontends)
    {
        foreach (var frontend in frontends)
        {
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{frontend.Http}/health");
                if (!response.IsSuccessStatusCode) return false;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }
        return true;
    }

    private static void Print(ChaosSettings settings, ChaosLedger ledger, ChaosAuditResult audit, double loadEnded,
        IReadOnlyList<(string Silo, long Activations)> activations)
    {
        var requests = ledger.Requests.ToArray();
        var kills = ledger.Kills.ToArray();
        var windows = new List<double>();
        var bursts = new List<(int InWindow, int Later, double[] All)>();
        for (var i = 0; i < kills.Length; i++)
        {
            var (at, silo) = kills[i];
            var until = i + 1 < kills.Length ? kills[i + 1].At : double.MaxValue;
            // Failures of requests to the killed process itself are its connections dying, not the cluster failing over.
            var failures = requests.Where(r => r.Failed && r.Target != silo && r.At >= at && r.At < until).Select(r => r.At - at).Order().ToArray();
            // The kill's burst: errors from the kill on, until BurstGapSeconds pass without one. Later errors (calls that
            // waited out a timeout, or the restarted silo rejoining) are counted apart below.
            var window = 0.0;
            foreach (var next in failures.TakeWhile(a => a - window < BurstGapSeconds)) window = next;
            windows.Add(window);
            bursts.Add((failures.Count(a => a <= window), failures.Count(a => a > window), failures));
        }
        bool During(double t) => kills.Any(k => t >= k.At && t < k.At + DuringSeconds);
        var during = requests.Where(r => !r.Failed && During(r.At)).Select(r => r.Millis).Order().ToArray();
        var after = requests.Where(r => !r.Failed && !During(r.At)).Select(r => r.Millis).Order().ToArray();
        var byKind = ledger.Accepted.Values.GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv,
            $"chaos: {frontends(settings)} processes, {loadEnded:F0} s of load, {kills.Length} SIGKILLs (every {settings.KillEverySeconds} s); " +
            $"accepted {ledger.Accepted.Count} (mx {byKind.GetValueOrDefault("mx")}, submission {byKind.GetValueOrDefault("submission")}, " +
            $"imap append {byKind.GetValueOrDefault("append")}, api {byKind.GetValueOrDefault("api")}), stored {audit.Stored}, lost {audit.Lost}, duplicated {audit.Duplicated}"));
        Console.WriteLine(string.Create(inv,
            $"chaos: flags kept {ledger.Flagged.Count - audit.FlagsLost}/{ledger.Flagged.Count}; change log gaps {audit.ChangeLogGaps} " +
            $"({audit.Mailboxes} mailboxes, {audit.HeadMismatches} heads off their log); outbound accepted {ledger.Outbound.Count}, " +
            $"arrived {ledger.Outbound.Count - audit.OutboundLost}, lost {audit.OutboundLost}, sent twice {audit.OutboundTwice}"));
        Console.WriteLine(string.Create(inv,
            $"chaos: failover window (kill to the last temporary error of its burst on a surviving process) per kill: " +
            $"{(windows.Count == 0 ? "none" : string.Join(", ", windows.Select(w => w.ToString("F1", inv))))} s; max {(windows.Count == 0 ? 0 : windows.Max()):F1} s; " +
            $"temporary errors {requests.Count(r => r.Failed)} of {requests.Length} requests"));
        for (var i = 0; i < bursts.Count; i++)
        {
            var (inWindow, later, all) = bursts[i];
            Console.WriteLine(string.Create(inv,
                $"chaos: kill {i + 1} ({kills[i].Silo}): {inWindow} temporary errors on surviving processes within its window; {later} later " +
                $"(after the burst){(later == 0 ? "" : $" at {string.Join(", ", all.Where(a => a > windows[i]).Take(5).Select(a => a.ToString("F1", inv)))} s")}"));
        }
        Console.WriteLine(string.Create(inv,
            $"chaos: grain activations per silo at the end of the load: {string.Join(", ", activations.Select(a =>
                $"{a.Silo} {a.Activations}{(kills.Any(k => k.Silo == a.Silo) ? $" (killed and restarted at {string.Join(", ", kills.Where(k => k.Silo == a.Silo).Select(k => k.At.ToString("F0", inv)))} s)" : "")}"))}"));
        Console.WriteLine(string.Create(inv,
            $"chaos: latency p50/p99 within {DuringSeconds:F0} s after a kill {Percentile(during, 50):F0}/{Percentile(during, 99):F0} ms ({during.Length} requests), " +
            $"otherwise {Percentile(after, 50):F0}/{Percentile(after, 99):F0} ms ({after.Length}); load average {load}"));

        static int frontends(ChaosSettings s) => File.ReadAllLines(s.ReadyFile).Count(l => l.Length > 0);
    }

    private static double Percentile(double[] sorted, int p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * p / 100.0))];
}
