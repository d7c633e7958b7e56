using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Xunit.Abstractions;

namespace Mail.Integration.Tests.Cluster;

/// <summary>
/// Orleans membership in Azure Table storage (Mail:Cluster:Clustering=azuretable) on Azurite's table service: two real silo
/// processes join through the table (one row each, Active, and each sees the other), and one that stops leaves it (its
/// row Dead, the other sees one silo). PostgreSQL still holds the mail; only membership moves.
/// </summary>
public sealed class AzureTableMembershipTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string MembershipTable = "OrleansSiloInstances";

    private readonly TempDirectory _dataDir = new();
    private readonly string _clusterId = "azt-" + Guid.NewGuid().ToString("N")[..12];
    private TestDatabase _database = null!;
    private string _azurite = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        // Failing, not skipping: a run without Azurite's table service must not report Azure Table membership as tested.
        _azurite = Environment.GetEnvironmentVariable("MAIL_TEST_AZURITE") is { } value && value.Contains("TableEndpoint=", StringComparison.Ordinal)
            ? value
            : throw new InvalidOperationException("MAIL_TEST_AZURITE with a TableEndpoint is not set: run the tests through infra/test.sh, which starts Azurite's table service.");
        _database = await TestDatabase.CreateAsync("aztable");
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _dataDir.Dispose();
    }

    [Fact]
    public async Task TwoSilosJoinThroughTheTableAndOneLeavesIt()
    {
        var (a, aHttp) = Silo("a", demo: true);
        var (b, bHttp) = Silo("b", demo: false);
        await using (a)
        await using (b)
        {
            await a.StartAsync();
            await b.StartAsync();

            var rows = await WaitForAsync(async () =>
            {
                var now = await SiloRowsAsync();
                return now.Count(r => r.Status == "Active") == 2 ? now : null;
            }, "both silos Active in the table");
            Assert.Equal(2, rows.Select(r => r.Port).Distinct().Count());

            // Each silo reads the same membership: both see two active hosts (the dashboard's figures come from it).
            await WaitForAsync(async () => await ActiveHostsAsync(aHttp) == 2 ? (object)true : null, "a to see two active hosts");
            await WaitForAsync(async () => await ActiveHostsAsync(bHttp) == 2 ? (object)true : null, "b to see two active hosts");

            await b.StopAsync(TimeSpan.FromSeconds(60));
            rows = await WaitForAsync(async () =>
            {
                var now = await SiloRowsAsync();
                return now.Count(r => r.Status == "Active") == 1 && now.Any(r => r.Status == "Dead") ? now : null;
            }, "b's row Dead after it stopped");
            foreach (var row in rows) output.WriteLine($"{row.Address}:{row.Port} {row.Status}");
            await WaitForAsync(async () => await ActiveHostsAsync(aHttp) == 1 ? (object)true : null, "a to see one active host");
        }
    }

    private (SiloProcess Process, Uri Http) Silo(string name, bool demo)
    {
        var httpPort = FreePort.Next();
        var environment = new Dictionary<string, string>
        {
            ["MAIL_DB"] = _database.ConnectionString,
            ["MAIL_DATA_DIR"] = _dataDir.Path,
            ["MAIL_CLUSTERING"] = "azuretable",
            ["MAIL_AZURE_TABLE"] = _azurite,
            ["MAIL_CLUSTER_ID"] = _clusterId,
            ["MAIL_HTTP_URL"] = $"http://127.0.0.1:{httpPort}",
            ["MAIL_SMTP_PORT"] = Port(), ["MAIL_SUBMISSION_PORT"] = Port(), ["MAIL_SUBMISSIONS_PORT"] = Port(),
            ["MAIL_IMAP_PORT"] = Port(), ["MAIL_IMAPS_PORT"] = Port(), ["MAIL_POP3_PORT"] = Port(), ["MAIL_POP3S_PORT"] = Port(),
            ["MAIL_MANAGESIEVE_PORT"] = Port(), ["MAIL_SILO_PORT"] = Port(), ["MAIL_GATEWAY_PORT"] = Port(),
            ["MAIL_DEMO"] = demo ? "1" : "0",
        };
        var http = new Uri($"http://127.0.0.1:{httpPort}/");
        return (new SiloProcess(environment, new Uri(http, "health"), Path.Combine(_dataDir.Path, $"silo-{name}.log")), http);
    }

    private static string Port() => FreePort.Next().ToString(CultureInfo.InvariantCulture);

    /// <summary>This cluster's silo rows in the membership table (the version row has no status).</summary>
    private async Task<List<SiloRow>> SiloRowsAsync()
    {
        var table = new TableClient(_azurite, MembershipTable);
        var rows = new List<SiloRow>();
        await foreach (var entity in table.QueryAsync<TableEntity>(e => e.PartitionKey == _clusterId))
        {
            if (entity.GetString("Status") is { } status)
            {
                rows.Add(new SiloRow(entity.GetString("Address") ?? "", entity.GetString("Port") ?? "", status));
            }
        }
        return rows;
    }

    /// <summary>Active hosts as the silo behind <paramref name="http"/> reports them (the dashboard's counters, admin token).</summary>
    private async Task<int> ActiveHostsAsync(Uri http)
    {
        using var client = new HttpClient { BaseAddress = http, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Admin-Token", (await File.ReadAllTextAsync(Path.Combine(_dataDir.Path, "admin-token"))).Trim());
        var counters = await client.GetFromJsonAsync<JsonElement>("/admin/dashboard/DashboardCounters");
        return counters.GetProperty("totalActiveHostCount").GetInt32();
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, string what) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            if (await probe() is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited 90 s for {what}.");
            await Task.Delay(500);
        }
    }

    private sealed record SiloRow(string Address, string Port, string Status);
}
