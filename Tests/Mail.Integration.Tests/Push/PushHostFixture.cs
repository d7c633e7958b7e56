using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Mail.Integration.Tests.Push;

/// <summary>
/// The host for the push tests: history retention run by the tests with a short log (so a client can fall behind the
/// horizon), and a short feed fallback (so a lost event with nothing after it is found within a test's patience).
/// </summary>
public sealed class PushHostFixture : MailHostFixture
{
    /// <summary>The newest MODSEQs whose changes a mailbox keeps here.</summary>
    public const int MaxChanges = 4;

    /// <inheritdoc />
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Mail:Retention:Enabled"] = "false",
        ["Mail:Retention:MaxChangesPerMailbox"] = MaxChanges.ToString(),
        ["Mail:Retention:MinChangeAgeMinutes"] = "0",
        ["Mail:Events:FallbackSeconds"] = "2",
    };

    /// <summary>The hub connection of a user (the bearer token of <paramref name="api"/>), started.</summary>
    public async Task<HubConnection> ConnectAsync(HttpClient api, bool messagePack = false)
    {
        var token = api.DefaultRequestHeaders.Authorization!.Parameter!;
        var builder = new HubConnectionBuilder().WithUrl(new Uri(BaseAddress, "v1/hub"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token));
        if (messagePack) builder.AddMessagePackProtocol();
        var connection = builder.Build();
        await connection.StartAsync();
        return connection;
    }

    /// <summary>The account id of an address.</summary>
    public async Task<string> AccountIdAsync(string address)
    {
        await using var db = new NpgsqlConnection(Database.ConnectionString);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT account_id FROM directory_accounts WHERE address = @a", db);
        command.Parameters.AddWithValue("a", address);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The cluster client of the in-process host.</summary>
    public IClusterClient Client => Services.GetRequiredService<IClusterClient>();
}
