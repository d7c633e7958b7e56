using System.Net.Http.Headers;
using Xunit;
using System.Net.Http.Json;
using Mail.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Mail.Testing;

/// <summary>
/// The real host (silo + HTTP frontend) in this process, on its own database, data directory and free
/// loopback ports; demo tenant on. Restartable on the same data, as an operator would.
/// </summary>
public class MailHostFixture : IAsyncLifetime
{
    private readonly TempDirectory _dataDir = new();
    private readonly int _httpPort = FreePort.Next();

    /// <summary>SMTP MX port.</summary>
    public int SmtpPort { get; } = FreePort.Next();

    /// <summary>Submission port (STARTTLS).</summary>
    public int SubmissionPort { get; } = FreePort.Next();

    /// <summary>Submission port (implicit TLS).</summary>
    public int SubmissionTlsPort { get; } = FreePort.Next();

    /// <summary>IMAP port (STARTTLS).</summary>
    public int ImapPort { get; } = FreePort.Next();

    /// <summary>IMAP port (implicit TLS).</summary>
    public int ImapTlsPort { get; } = FreePort.Next();

    /// <summary>POP3 port (STLS).</summary>
    public int Pop3Port { get; } = FreePort.Next();

    /// <summary>POP3 port (implicit TLS).</summary>
    public int Pop3TlsPort { get; } = FreePort.Next();

    /// <summary>ManageSieve port (STARTTLS).</summary>
    public int ManageSievePort { get; } = FreePort.Next();
    private WebApplication? _app;

    /// <summary>
    /// The MX's sender checks resolve here: a DNS server without records, so every check of a test that does not publish
    /// any ends at once as "none" (the outbound resolver stays the dead one below).
    /// </summary>
    private readonly TestDnsServer _inboundDns = new();

    /// <summary>The database of this host.</summary>
    public TestDatabase Database { get; private set; } = null!;

    /// <summary>The Orleans cluster id of this host (its own, so hosts sharing a PostgreSQL server never meet).</summary>
    public string ClusterId => "test-" + Database.Name;

    /// <summary>The data directory (blobs, keys, admin token).</summary>
    public string DataDir => _dataDir.Path;

    /// <summary>Base address of the HTTP API.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{_httpPort}/");

    /// <summary>The admin token the host generated on first start.</summary>
    public string AdminToken => File.ReadAllText(Path.Combine(DataDir, "admin-token")).Trim();

    /// <summary>The running host's services.</summary>
    public IServiceProvider Services => _app!.Services;

    /// <summary>Settings of this host beyond the defaults (blob store kind, limits).</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>Registers services that replace the host's (a clock the test moves).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <inheritdoc />
    public virtual async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync(GetType().Name);
        TestKeys.EnsureMasterKey(DataDir);
        await StartAsync();
    }

    /// <summary>Stops the host and starts it again on the same database and data directory.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    /// <summary>An HTTP client for the API.</summary>
    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>A client authenticated as a user with a bearer token from POST /v1/auth/token.</summary>
    public async Task<HttpClient> LoginAsync(string username, string password = "demo-password")
    {
        var client = CreateClient();
        var response = await client.PostAsJsonAsync("/v1/auth/token", new { username, password });
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<TokenBody>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!.access_token);
        return client;
    }

    /// <summary>A client that carries the admin token.</summary>
    public HttpClient CreateAdminClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Admin-Token", AdminToken);
        return client;
    }

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        await StopAsync();
        await Database.DisposeAsync();
        _dataDir.Dispose();
        _inboundDns.Dispose();
    }

    private async Task StartAsync()
    {
        var siloPort = FreePort.Next();
        var gatewayPort = FreePort.Next();
        var overrides = new Dictionary<string, string?>
        {
            ["Mail:DataDir"] = DataDir,
            ["Mail:Database"] = Database.ConnectionString,
            ["Mail:Cluster:SiloPort"] = siloPort.ToString(),
            ["Mail:Cluster:GatewayPort"] = gatewayPort.ToString(),
            ["Mail:Cluster:ClusterId"] = ClusterId,
            ["Mail:Http:Url"] = BaseAddress.ToString().TrimEnd('/'),
            ["Mail:Passwords:MemoryKib"] = "1024",
            ["Mail:Passwords:Iterations"] = "1",
            ["Mail:Demo"] = "true",
            // Tests fail logins on purpose and share a host from one loopback address: no delays, and thresholds
            // out of reach, except where a fixture sets its own (the throttle tests).
            ["Mail:Security:FailureDelayBase"] = "00:00:00",
            ["Mail:Security:MaxFailureDelay"] = "00:00:00",
            ["Mail:Security:AccountFailures"] = "100000",
            ["Mail:Security:AddressFailures"] = "1000000",
            ["Mail:Smtp:MxPort"] = SmtpPort.ToString(),
            ["Mail:Smtp:SubmissionPort"] = SubmissionPort.ToString(),
            ["Mail:Smtp:SubmissionTlsPort"] = SubmissionTlsPort.ToString(),
            ["Mail:Imap:Port"] = ImapPort.ToString(),
            ["Mail:Imap:TlsPort"] = ImapTlsPort.ToString(),
            ["Mail:Pop3:Port"] = Pop3Port.ToString(),
            ["Mail:Pop3:TlsPort"] = Pop3TlsPort.ToString(),
            ["Mail:Cluster:TunedFailureDetection"] = "false",
            ["Mail:ManageSieve:Port"] = ManageSievePort.ToString(),
            // Tests of other parts send to remote recipients from domains nobody published; the rule's own tests turn it on.
            ["Mail:Outbound:RequireVerifiedDomains"] = "false",
            // Remote recipients of other tests are deferred at once by a resolver that is not there, never sent to the internet.
            ["Mail:Outbound:DnsServers:0"] = "127.0.0.1:9",
            ["Mail:Smtp:InboundAuth:DnsServers:0"] = _inboundDns.Endpoint,
        };
        foreach (var (key, value) in Settings) overrides[key] = value;
        _app = await MailHost.CreateAsync([], overrides, ConfigureServices);
        await _app.StartAsync();
        using var client = CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var health = await client.GetAsync("/health");
            if (health.IsSuccessStatusCode) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The host did not become healthy within 60 s.");
            await Task.Delay(100);
        }
    }

    private async Task StopAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    private sealed record TokenBody(string access_token);
}
