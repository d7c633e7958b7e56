using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Mail.Bench.Memory;
using Mail.Grains.Accounts;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Silo;
using Mail.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans;
using Orleans.Runtime;

namespace Mail.Bench.Scale;

/// <summary>
/// scale: the real host in this process. Imports N accounts through POST /v1/admin/accounts:import, delivers one message
/// over SMTP to a random subset (cold mailboxes), then one more to each (warm), and measures managed memory per idle and
/// per active mailbox (heap after full collections; idle grains are collected with ForceActivationCollection, as the
/// collector would after its age limit), cold and warm grain activation latency, the delivery rates and PostgreSQL's
/// size per account and per message. Prints one line per figure, each with the load average.
/// </summary>
public static class ScaleBenchmark
{
    private const string Domain = "example.test";
    private const int ImportBatch = 50_000;
    private const int Warmup = 200;
    private const string ScalePassword = "scale-password";

    /// <summary>Runs the benchmark; options: --db, --accounts, --deliver, --probes, --parallelism.</summary>
    public static async Task<int> RunAsync(BenchArguments options)
    {
        var db = options.Required("db");
        var accounts = options.Int("accounts", 1_000_000);
        var deliver = Math.Min(accounts, options.Int("deliver", Math.Max(1, accounts / 10)));
        var probes = Math.Min(deliver, options.Int("probes", 500));
        var parallelism = options.Int("parallelism", 16);

        using var dataDir = new TempDirectory();
        using var dns = new TestDnsServer();
        TestKeys.EnsureMasterKey(dataDir.Path);
        var http = FreePort.Next();
        var smtp = FreePort.Next();
        var overrides = new Dictionary<string, string?>
        {
            ["Mail:DataDir"] = dataDir.Path,
            ["Mail:Database"] = db,
            ["Mail:Demo"] = "true",
            ["Mail:Cluster:ClusterId"] = "bench-scale",
            ["Mail:Cluster:SiloPort"] = Port(), ["Mail:Cluster:GatewayPort"] = Port(),
            ["Mail:Http:Url"] = $"http://127.0.0.1:{http}",
            ["Mail:Smtp:MxPort"] = smtp.ToString(CultureInfo.InvariantCulture),
            ["Mail:Smtp:SubmissionPort"] = Port(), ["Mail:Smtp:SubmissionTlsPort"] = Port(),
            ["Mail:Imap:Port"] = Port(), ["Mail:Imap:TlsPort"] = Port(), ["Mail:Pop3:Port"] = Port(), ["Mail:Pop3:TlsPort"] = Port(),
            ["Mail:ManageSieve:Port"] = Port(),
            ["Mail:Http:RateLimit:PerIpPerMinute"] = "100000000", ["Mail:Http:RateLimit:PerAccountPerMinute"] = "100000000",
            // The import carries password hashes made elsewhere (as a migration does), so no Argon2 runs on the silo.
            ["Mail:Http:Import:Parallelism"] = options.Int("import-parallelism", 4).ToString(CultureInfo.InvariantCulture),
            ["Mail:Http:Import:BatchSize"] = options.Int("import-batch", 1000).ToString(CultureInfo.InvariantCulture),
            ["Mail:Smtp:InboundAuth:DnsServers:0"] = dns.Endpoint,
            ["Mail:Outbound:DnsServers:0"] = "127.0.0.1:9",
            // The live rate limiter of the MX would count this one client's thousands of connections.
            ["Mail:Smtp:MaxConnectionsPerIp"] = "100000",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:Console:LogToStandardErrorThreshold"] = "Trace",
        };
        await using var app = await MailHost.CreateAsync([], overrides);
        await app.StartAsync();
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var data = app.Services.GetRequiredService<NpgsqlDataSource>();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}/"), Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.Add("X-Admin-Token", (await File.ReadAllTextAsync(Path.Combine(dataDir.Path, "admin-token"))).Trim());
        await WaitHealthyAsync(client);

        // One Argon2id hash at the server's default cost for every line: each account logs in with ScalePassword.
        var passwordHash = await new PasswordHasher(new PasswordHashingOptions()).HashAsync(ScalePassword);
        // Warm-up: JIT, pools and Orleans' first-activation caches are not charged to the measured mailboxes.
        await ImportAsync(client, "warm", Warmup, passwordHash);
        var warm = await AccountIdsAsync(data, "warm-");
        await DeliverAsync(smtp, warm.Select(a => a.Address).ToArray(), parallelism);
        await CollectIdleAsync(grains);
        var heap0 = HeapSnapshot.Take();
        var pg0 = await DatabaseBytesAsync(data);

        var import = Stopwatch.StartNew();
        await ImportAsync(client, "scale", accounts, passwordHash);
        import.Stop();
        var importLoad = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        await CollectIdleAsync(grains);
        var heap1 = HeapSnapshot.Take();
        var pg1 = await DatabaseBytesAsync(data);
        var all = await AccountIdsAsync(data, "scale-");
        if (all.Count != accounts) throw new InvalidOperationException($"{all.Count} of {accounts} accounts were imported");

        var chosen = all.OrderBy(_ => Random.Shared.Next()).Take(deliver).ToArray();
        var cold = await DeliverAsync(smtp, chosen.Select(a => a.Address).ToArray(), parallelism);
        var heap2 = HeapSnapshot.Take();
        var activations = await ActivationsAsync(grains);
        var mailboxes = activations.GetValueOrDefault("MailboxGrain");
        var warmRun = await DeliverAsync(smtp, chosen.Select(a => a.Address).ToArray(), parallelism);
        var pg2 = await DatabaseBytesAsync(data);
        var blobs = DirectoryBytes(dataDir.Path);

        await CollectIdleAsync(grains);
        var probed = chosen.Take(probes).Select(a => a.AccountId).ToArray();
        var coldActivation = await ProbeAsync(grains, probed);
        var warmCall = await ProbeAsync(grains, probed);

        var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        var messages = cold.Delivered + warmRun.Delivered;
        Line($"scale: {accounts} accounts imported in {import.Elapsed.TotalSeconds:F0} s = {accounts / import.Elapsed.TotalSeconds:F0} accounts/s (POST /v1/admin/accounts:import with password_hash, batches of {options.Int("import-batch", 1000)}, {options.Int("import-parallelism", 4)} at once)", importLoad);
        Line($"scale: silo memory per idle mailbox (account imported, grains collected) = {(heap1.ManagedBytes - heap0.ManagedBytes) / (double)accounts:F0} bytes managed heap", load);
        Line($"scale: silo memory per active mailbox = {(heap2.ManagedBytes - heap1.ManagedBytes) / (double)Math.Max(1, mailboxes):F0} bytes managed heap ({mailboxes} mailbox activations, with their address and account grains; activations {Describe(activations)})", load);
        Line($"scale: cold activation (first call on a collected mailbox, one at a time) p50 {Percentile(coldActivation, 50):F1} ms, p99 {Percentile(coldActivation, 99):F1} ms; the same call warm p50 {Percentile(warmCall, 50):F2} ms, p99 {Percentile(warmCall, 99):F2} ms ({probed.Length} mailboxes)", load);
        Line($"scale: SMTP delivery into cold mailboxes {cold.Rate:F0} msg/s (p50 {Percentile(cold.Latencies, 50):F0} ms, p99 {Percentile(cold.Latencies, 99):F0} ms), warm {warmRun.Rate:F0} msg/s (p50 {Percentile(warmRun.Latencies, 50):F0} ms, p99 {Percentile(warmRun.Latencies, 99):F0} ms); {deliver} random mailboxes, {parallelism} connections at once, refused {cold.Refused + warmRun.Refused}", load);
        Line($"scale: PostgreSQL per account {(pg1 - pg0) / (double)accounts:F0} bytes, per message {(pg2 - pg1) / (double)Math.Max(1, messages):F0} bytes ({pg2 / 1048576.0:F0} MB in all; blobs {blobs / (double)Math.Max(1, messages + Warmup):F0} bytes per message on disk)", load);
        await app.StopAsync();
        return cold.Refused + warmRun.Refused == 0 ? 0 : 1;
    }

    private static string Port() => FreePort.Next().ToString(CultureInfo.InvariantCulture);

    private static void Line(string text, string load) => Console.WriteLine($"{text}; load average {load}");

    private static async Task WaitHealthyAsync(HttpClient client)
    {
        for (var i = 0; i < 600; i++)
        {
            if ((await client.GetAsync("health")).IsSuccessStatusCode) return;
            await Task.Delay(100);
        }
        throw new TimeoutException("The host did not become healthy.");
    }

    /// <summary>Imports <paramref name="count"/> accounts "{prefix}-{i}@example.test" as JSON lines, in streamed requests of <see cref="ImportBatch"/>.</summary>
    private static async Task ImportAsync(HttpClient client, string prefix, int count, string passwordHash)
    {
        var started = Stopwatch.StartNew();
        for (var first = 0; first < count; first += ImportBatch)
        {
            var last = Math.Min(count, first + ImportBatch);
            using var content = new LinesContent(first, last, prefix, passwordHash);
            using var response = await client.PostAsync("v1/admin/accounts:import", content);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (!response.IsSuccessStatusCode || body.GetProperty("failed").GetInt64() != 0)
            {
                throw new InvalidOperationException($"import answered {(int)response.StatusCode}: {body}");
            }
            await Console.Error.WriteLineAsync($"scale: imported {last}/{count} {prefix} accounts ({last / started.Elapsed.TotalSeconds:F0}/s)");
        }
    }

    private static async Task<List<(string AccountId, string Address)>> AccountIdsAsync(NpgsqlDataSource data, string prefix)
    {
        await using var command = data.CreateCommand("SELECT account_id, address FROM directory_accounts WHERE address LIKE $1");
        command.Parameters.AddWithValue(prefix + "%");
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<(string, string)>();
        while (await reader.ReadAsync()) ids.Add((reader.GetString(0), reader.GetString(1)));
        return ids;
    }

    private sealed record DeliveryRun(int Delivered, int Refused, double Rate, List<double> Latencies);

    /// <summary>One message to each address, one SMTP connection per message, <paramref name="parallelism"/> at once.</summary>
    private static async Task<DeliveryRun> DeliverAsync(int port, string[] addresses, int parallelism)
    {
        var latencies = new List<double>(addresses.Length);
        int delivered = 0, refused = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(addresses, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (to, ct) =>
        {
            var body = Encoding.ASCII.GetBytes(
                $"From: <load@remote.example>\r\nTo: <{to}>\r\nSubject: scale {Guid.NewGuid():N}\r\nMessage-ID: <{Guid.NewGuid():N}@remote.example>\r\n\r\n" +
                string.Concat(Enumerable.Repeat("A line of the scale benchmark's message body, about two kilobytes in all.\r\n", 28)));
            var started = Stopwatch.GetTimestamp();
            var reply = await new RawSmtpClient("127.0.0.1", port).SendAsync("load@remote.example", to, body, ct);
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            lock (latencies)
            {
                latencies.Add(ms);
                if (reply is null) delivered++;
                else refused++;
            }
            if (reply is not null) await Console.Error.WriteLineAsync($"scale: {to} refused: {reply}");
        });
        return new DeliveryRun(delivered, refused, delivered / clock.Elapsed.TotalSeconds, latencies);
    }

    /// <summary>Milliseconds of one GetQuotaAsync per mailbox, one at a time.</summary>
    private static async Task<List<double>> ProbeAsync(IGrainFactory grains, IEnumerable<string> accountIds)
    {
        var latencies = new List<double>();
        foreach (var id in accountIds)
        {
            var started = Stopwatch.GetTimestamp();
            await grains.GetGrain<IMailboxGrain>(id).GetQuotaAsync();
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        return latencies;
    }

    /// <summary>Deactivates every idle activation, as the collector does once they pass its age limit.</summary>
    private static async Task CollectIdleAsync(IGrainFactory grains)
    {
        await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await Task.Delay(TimeSpan.FromSeconds(2));
    }

    private static async Task<Dictionary<string, int>> ActivationsAsync(IGrainFactory grains)
    {
        var statistics = await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        // "Mail.Grains.Mailboxes.MailboxGrain,Mail.Grains": the class name without namespace and assembly.
        static string ClassName(string type) => type.Split(',')[0] is var name ? name[(name.LastIndexOf('.') + 1)..] : type;
        return statistics.GroupBy(s => ClassName(s.GrainType))
            .ToDictionary(g => g.Key, g => g.Sum(s => s.ActivationCount));
    }

    private static string Describe(Dictionary<string, int> activations) =>
        string.Join(", ", activations.Where(kv => kv.Value >= 10).OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value}"));

    private static async Task<long> DatabaseBytesAsync(NpgsqlDataSource data)
    {
        await using var command = data.CreateCommand("SELECT pg_database_size(current_database())");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static long DirectoryBytes(string path) =>
        new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Where(f => f.FullName.Contains("blob", StringComparison.OrdinalIgnoreCase)).Sum(f => f.Length);

    private static double Percentile(List<double> values, int percentile)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1)];
    }

    /// <summary>JSON lines of accounts first..last-1, written as the request streams: the body is never held whole.</summary>
    private sealed class LinesContent : HttpContent
    {
        private readonly int _first;
        private readonly int _last;
        private readonly string _prefix;
        private readonly string _passwordHash;

        public LinesContent(int first, int last, string prefix, string passwordHash)
        {
            (_first, _last, _prefix, _passwordHash) = (first, last, prefix, passwordHash);
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-ndjson");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var buffer = new StringBuilder();
            for (var i = _first; i < _last; i++)
            {
                buffer.Append(CultureInfo.InvariantCulture, $"{{\"address\":\"{_prefix}-{i}@{Domain}\",\"password_hash\":\"{_passwordHash}\",\"quota_bytes\":1000000000}}\n");
                if (buffer.Length > 60_000 || i == _last - 1)
                {
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(buffer.ToString()));
                    buffer.Clear();
                }
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
