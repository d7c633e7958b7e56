using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using Mail.Frontends.Hosting;
using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Interfaces.Search;
using Mail.Grains.Search;
using Mail.Grains.Search.Postgres;
using Mail.Grains.Search.Query;
using Mail.Silo;
using Mail.Storage.Blobs;
using Mail.Testing;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Npgsql;
using Orleans;
using Orleans.Runtime;

namespace Mail.Bench.Search;

/// <summary>
/// search: the real host in this process; the demo user's INBOX seeded with --count generated messages (real blobs),
/// indexed by the indexer from the change log (index throughput), then --queries timed GET /v1/search calls per query
/// class (sender, phrase, label + unread, date range, attachment name, negation: p50/p99), and the freshness lag from
/// SMTP 250 to the first search that finds the message (--fresh deliveries).
/// </summary>
public static class SearchBenchmark
{
    private const string User = "alice@example.test";

    /// <summary>Runs the benchmark and prints its figure lines ("search: ...").</summary>
    public static async Task<int> RunAsync(BenchArguments options)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var connectionString = options.Required("db");
        var count = options.Int("count", 100_000);
        var queries = options.Int("queries", 200);
        var fresh = options.Int("fresh", 30);
        var explain = options.Text("explain", "");
        using var dataDir = new TempDirectory();
        TestKeys.EnsureMasterKey(dataDir.Path);
        var httpPort = FreePort.Next();
        var smtpPort = FreePort.Next();
        var overrides = new Dictionary<string, string?>
        {
            ["Mail:DataDir"] = dataDir.Path,
            ["Mail:Database"] = connectionString,
            ["Mail:Demo"] = "true",
            ["Mail:Cluster:ClusterId"] = "bench-search",
            ["Mail:Cluster:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Mail:Cluster:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Mail:Http:Url"] = $"http://127.0.0.1:{httpPort}",
            ["Mail:Passwords:MemoryKib"] = "1024",
            ["Mail:Passwords:Iterations"] = "1",
            ["Mail:Imap:Port"] = "0",
            ["Mail:Imap:TlsPort"] = "0",
            ["Mail:Smtp:MxPort"] = smtpPort.ToString(CultureInfo.InvariantCulture),
            ["Mail:Smtp:SubmissionPort"] = "0",
            ["Mail:Smtp:SubmissionTlsPort"] = "0",
            ["Mail:Pop3:Port"] = "0",
            ["Mail:Pop3:TlsPort"] = "0",
            ["Mail:ManageSieve:Port"] = "0",
            ["Mail:Outbound:DnsServers:0"] = "127.0.0.1:9",
            ["Mail:Smtp:InboundAuth:Enabled"] = "false",
            ["Mail:Security:AccountFailures"] = "100000",
            // The bench is one client asking as fast as it can: the API's per-client limits would answer 429.
            ["Mail:Http:RateLimit:PerIpPerMinute"] = "10000000",
            ["Mail:Http:RateLimit:PerAccountPerMinute"] = "10000000",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:Console:LogToStandardErrorThreshold"] = "Trace",
        };
        await using var app = await MailHost.CreateAsync([], overrides);
        await app.StartAsync();
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var readiness = app.Services.GetRequiredService<ReadinessState>();
        for (var i = 0; i < 1200 && !readiness.IsReady; i++) await Task.Delay(100);
        var route = await grains.GetGrain<IAddressGrain>(User).ResolveAsync() ?? throw new InvalidOperationException($"the demo user {User} was not created");
        var mailbox = grains.GetGrain<IMailboxGrain>(route.AccountId);
        await mailbox.SetQuotaLimitAsync(long.MaxValue / 2);
        await using var db = NpgsqlDataSource.Create(connectionString);
        var indexer = grains.GetGrain<ISearchIndexerGrain>(route.AccountId);
        await indexer.CatchUpAsync();
        await WaitIndexedAsync(db, route.AccountId, await mailbox.GetHighestModseqAsync(), TimeSpan.FromMinutes(1));

        var management = grains.GetGrain<IManagementGrain>(0);
        await management.DeactivateGrain(mailbox.GetGrainId(), CancellationToken.None);
        await Console.Error.WriteLineAsync($"search bench: seeding {count} messages");
        var seedClock = Stopwatch.StartNew();
        var highest = await SearchSeeder.RunAsync(db, app.Services.GetRequiredService<IBlobStore>(), route.AccountId, User, count);
        await management.DeactivateGrain(mailbox.GetGrainId(), CancellationToken.None);
        Print($"search: seeded {count} messages (blobs and rows) in {seedClock.Elapsed.TotalSeconds:F1} s");

        // The seeder wrote rows and log by SQL, past the mailbox grain, so no event announced them: wake the indexer as an
        // event would (otherwise the sweep finds them within Mail:Search:SweepInterval).
        var indexClock = Stopwatch.StartNew();
        await indexer.WakeAsync();
        await WaitIndexedAsync(db, route.AccountId, highest, TimeSpan.FromMinutes(60));
        Print($"search: indexed {count} messages from the change log in {indexClock.Elapsed.TotalSeconds:F1} s: {count / indexClock.Elapsed.TotalSeconds:F0} messages/s");
        await using (var analyze = db.CreateCommand("VACUUM (ANALYZE) search_documents"))
        {
            analyze.CommandTimeout = 600;
            await analyze.ExecuteNonQueryAsync();
        }

        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        var token = await client.PostAsJsonAsync("/v1/auth/token", new { username = User, password = "demo-password" });
        token.EnsureSuccessStatusCode();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString());

        var corpus = new SearchCorpus(7);
        var today = DateTime.UtcNow.Date;
        var classes = new (string Name, Func<string> Query)[]
        {
            ("sender", () => "from:" + corpus.Sender().Split('@')[0]),
            ("phrase", () => "\"" + SearchCorpus.Phrases[corpus.Next(SearchCorpus.Phrases.Length)] + "\""),
            ("label+unread", () => $"label:{SearchCorpus.Labels[corpus.Next(SearchCorpus.Labels.Length)]} is:unread"),
            ("date range", () =>
            {
                var start = today.AddDays(-corpus.Next(358) - 7);
                return $"after:{start:yyyy/MM/dd} before:{start.AddDays(7):yyyy/MM/dd}";
            }),
            ("attachment name", () => "filename:" + corpus.AttachmentName()),
            ("negation", () => $"{corpus.Word()} -from:{corpus.Sender().Split('@')[0]} -has:attachment"),
            ("rare word", () => "nomatch" + corpus.Next(1_000_000)),
        };
        var engine = app.Services.GetRequiredService<ISearchEngine>() as PostgresSearchEngine;
        foreach (var (name, query) in classes)
        {
            for (var i = 0; i < 20; i++) await SearchAsync(client, query());
            // Which plan the engine chose for these queries (counted over the class's first 20 queries).
            var plans = new Dictionary<SearchPlan, int>();
            for (var i = 0; engine is not null && i < 20; i++)
            {
                var (_, plan) = await engine.PageAsync(route.AccountId, SearchQueryParser.Parse(query()), 0, 51, SearchPlan.Auto, null, CancellationToken.None);
                plans[plan] = plans.GetValueOrDefault(plan) + 1;
            }
            var times = new List<double>(queries);
            long hits = 0;
            var more = 0;
            for (var i = 0; i < queries; i++)
            {
                var clock = Stopwatch.StartNew();
                var (items, hasMore) = await SearchAsync(client, query());
                times.Add(clock.Elapsed.TotalMilliseconds);
                hits += items;
                if (hasMore) more++;
            }
            times.Sort();
            Print($"search: {name,-16} p50 {Percentile(times, 0.5),6:F2} ms  p99 {Percentile(times, 0.99),6:F2} ms  ({queries} queries, first page of 50: {hits / (double)queries:F0} items on average, {100.0 * more / queries:F0}% with more pages; plan {string.Join(", ", plans.Select(p => $"{p.Key} {p.Value}/20"))}; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
        }

        // After the timed runs, so the plans are of warm caches, as the timed queries mostly were.
        if (explain.Length > 0) await ExplainAsync(db, app.Services.GetRequiredService<ISearchEngine>(), route.AccountId, classes, explain);

        var lags = new List<double>(fresh);
        for (var i = 0; i < fresh; i++)
        {
            var word = "fresh" + Guid.NewGuid().ToString("N")[..12];
            var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse("someone@remote.example"));
            message.To.Add(MailboxAddress.Parse(User));
            message.Subject = "freshness probe";
            message.Body = new TextPart("plain") { Text = "probe " + word };
            using var smtp = new SmtpClient();
            await smtp.ConnectAsync("127.0.0.1", smtpPort, SecureSocketOptions.None);
            await smtp.SendAsync(message);
            var clock = Stopwatch.StartNew();
            while ((await SearchAsync(client, word)).Items == 0)
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(30)) throw new InvalidOperationException($"{word} was not searchable after 30 s");
                await Task.Delay(5);
            }
            lags.Add(clock.Elapsed.TotalMilliseconds);
            await smtp.DisconnectAsync(true);
        }
        lags.Sort();
        Print($"search: freshness (SMTP 250 to found by /v1/search) p50 {Percentile(lags, 0.5):F0} ms  p99 {Percentile(lags, 0.99):F0} ms  max {lags[^1]:F0} ms ({fresh} deliveries into the {count}-message mailbox)");
        return 0;
    }

    private static async Task<(int Items, bool HasMore)> SearchAsync(HttpClient client, string q)
    {
        var response = await client.GetAsync($"/v1/search?q={Uri.EscapeDataString(q)}&page_size=50");
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"'{q}': {(int)response.StatusCode} {body}");
        var page = JsonDocument.Parse(body).RootElement;
        return (page.GetProperty("items").GetArrayLength(), page.GetProperty("has_more").GetBoolean());
    }

    // The plan of one query per class, as the engine runs it (first page of 50 and one more, newest first): the plan it
    // chose and EXPLAIN of each statement that plan sent (the probe, then the page).
    private static async Task ExplainAsync(NpgsqlDataSource db, ISearchEngine engine, string accountId, (string Name, Func<string> Query)[] classes, string path)
    {
        if (engine is not PostgresSearchEngine postgres) return;
        await using var output = new StreamWriter(path);
        foreach (var (name, query) in classes)
        {
            var q = query();
            var statements = new List<string>();
            var (_, plan) = await postgres.PageAsync(accountId, SearchQueryParser.Parse(q), 0, 51, SearchPlan.Auto, statements, CancellationToken.None);
            await output.WriteLineAsync($"-- {name}: {q} (plan: {plan})");
            await ExplainEachAsync(db, output, statements);
            if (plan != SearchPlan.Planner)
            {
                // The same page as one statement planned by PostgreSQL alone, as before the engine chose plans.
                statements.Clear();
                await postgres.PageAsync(accountId, SearchQueryParser.Parse(q), 0, 51, SearchPlan.Planner, statements, CancellationToken.None);
                await output.WriteLineAsync($"-- {name}: {q} (for comparison: plan {SearchPlan.Planner})");
                await ExplainEachAsync(db, output, statements);
            }
            await output.WriteLineAsync();
        }
        await Console.Error.WriteLineAsync($"search bench: query plans written to {path}");
    }

    private static async Task ExplainEachAsync(NpgsqlDataSource db, StreamWriter output, List<string> statements)
    {
        foreach (var sql in statements)
        {
            var line = sql.ReplaceLineEndings(" ");
            await output.WriteLineAsync("-- " + line[..Math.Min(line.Length, 300)]);
            await using var command = db.CreateCommand("EXPLAIN (ANALYZE, BUFFERS) " + sql);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) await output.WriteLineAsync(reader.GetString(0));
        }
    }

    private static async Task WaitIndexedAsync(NpgsqlDataSource db, string accountId, long modseq, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var last = Stopwatch.StartNew();
        while (true)
        {
            await using var command = db.CreateCommand("SELECT modseq FROM search_progress WHERE account_id = @a");
            command.Parameters.AddWithValue("a", accountId);
            var indexed = await command.ExecuteScalarAsync() is long m ? m : -1;
            if (indexed >= modseq) return;
            if (clock.Elapsed > timeout) throw new TimeoutException($"the index reached MODSEQ {indexed} of {modseq} in {timeout}");
            if (last.Elapsed > TimeSpan.FromSeconds(10))
            {
                await Console.Error.WriteLineAsync($"search bench: indexed through MODSEQ {indexed} of {modseq}");
                last.Restart();
            }
            await Task.Delay(100);
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static void Print(string line) => Console.WriteLine(line);
}
