using System.Diagnostics;
using System.Globalization;
using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Npgsql;

namespace Mail.Integration.Tests.Backup;

/// <summary>
/// infra/backup.sh of a running silo's database, blobs and keys, then infra/restore.sh into a new data directory and a
/// new database: a silo started on the restored data serves every message (content decrypted under the restored keys),
/// every flag and every account.
/// </summary>
public sealed class BackupRestoreTests : IAsyncLifetime
{
    private readonly TempDirectory _dataDir = new();
    private readonly TempDirectory _backup = new();
    private readonly TempDirectory _restored = new();
    private readonly string _restoredDatabase = $"t_restored_{Guid.NewGuid():N}";
    private TestDatabase _database = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync("backup");

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        await using (var admin = new NpgsqlConnection(Server))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_restoredDatabase}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
        _dataDir.Dispose();
        _backup.Dispose();
        _restored.Dispose();
    }

    private static string Server => Environment.GetEnvironmentVariable("MAIL_TEST_PG")!;

    [Fact]
    public async Task ARestoredBackupHasEveryMessageFlagAndAccount()
    {
        var (silo, smtp, imap) = Silo(_dataDir.Path, _database.ConnectionString);
        await using (silo)
        {
            await silo.StartAsync();
            for (var i = 0; i < 5; i++)
            {
                Assert.Null(await new RawSmtpClient("127.0.0.1", smtp).SendAsync("x@remote.example", "bob@example.test",
                    Encoding.ASCII.GetBytes($"From: <x@remote.example>\r\nSubject: kept {i}\r\n\r\nbody {i}\r\n"), CancellationToken.None));
            }
            using var client = await ImapAsync(imap);
            var inbox = client.Inbox;
            await inbox.OpenAsync(FolderAccess.ReadWrite);
            await inbox.AddFlagsAsync([new UniqueId(2), new UniqueId(4)], MessageFlags.Flagged, silent: true);
            await inbox.AddFlagsAsync([new UniqueId(1)], MessageFlags.Seen, silent: true);
        }

        var port = new NpgsqlConnectionStringBuilder(Server).Port.ToString(CultureInfo.InvariantCulture);
        await RunAsync("backup.sh", [Path.Combine(_backup.Path, "b")], new()
        {
            ["MAIL_DATA_DIR"] = _dataDir.Path, ["MAIL_PG_PORT"] = port, ["MAIL_PG_DATABASE"] = _database.Name,
        });
        await RunAsync("restore.sh", [Path.Combine(_backup.Path, "b"), _restored.Path], new()
        {
            ["MAIL_PG_PORT"] = port, ["MAIL_PG_DATABASE"] = _restoredDatabase, ["MAIL_RESTORE_SERVER"] = "existing",
        });

        var restoredDb = new NpgsqlConnectionStringBuilder(Server) { Database = _restoredDatabase }.ConnectionString;
        var (again, _, restoredImap) = Silo(_restored.Path, restoredDb);
        await using (again)
        {
            await again.StartAsync();
            using var client = await ImapAsync(restoredImap);
            var inbox = client.Inbox;
            await inbox.OpenAsync(FolderAccess.ReadOnly);
            var summaries = await inbox.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | MessageSummaryItems.Envelope);
            Assert.Equal(["kept 0", "kept 1", "kept 2", "kept 3", "kept 4"], summaries.Select(s => s.Envelope!.Subject ?? "").ToArray());
            Assert.Equal([2u, 4u], summaries.Where(s => s.Flags!.Value.HasFlag(MessageFlags.Flagged)).Select(s => s.UniqueId.Id).ToArray());
            Assert.Equal([1u], summaries.Where(s => s.Flags!.Value.HasFlag(MessageFlags.Seen)).Select(s => s.UniqueId.Id).ToArray());
            // The content decrypts under the restored master key and wrapped tenant keys.
            var body = await inbox.GetMessageAsync(new UniqueId(3));
            Assert.Contains("body 2", body.TextBody);
            await client.DisconnectAsync(true);

            using var alice = new ImapClient();
            await alice.ConnectAsync("127.0.0.1", restoredImap, SecureSocketOptions.None);
            await alice.AuthenticateAsync("alice@example.test", "demo-password");
        }
    }

    private static (SiloProcess Silo, int Smtp, int Imap) Silo(string dataDir, string database)
    {
        var http = FreePort.Next();
        var smtp = FreePort.Next();
        var imap = FreePort.Next();
        string Port() => FreePort.Next().ToString(CultureInfo.InvariantCulture);
        var environment = new Dictionary<string, string>
        {
            ["MAIL_DB"] = database, ["MAIL_DATA_DIR"] = dataDir, ["MAIL_HTTP_URL"] = $"http://127.0.0.1:{http}",
            ["MAIL_SMTP_PORT"] = smtp.ToString(CultureInfo.InvariantCulture), ["MAIL_IMAP_PORT"] = imap.ToString(CultureInfo.InvariantCulture),
            ["MAIL_SUBMISSION_PORT"] = Port(), ["MAIL_SUBMISSIONS_PORT"] = Port(), ["MAIL_IMAPS_PORT"] = Port(),
            ["MAIL_POP3_PORT"] = Port(), ["MAIL_POP3S_PORT"] = Port(), ["MAIL_MANAGESIEVE_PORT"] = Port(), ["MAIL_SILO_PORT"] = Port(), ["MAIL_GATEWAY_PORT"] = Port(),
            ["MAIL_CLUSTER_ID"] = "backup-" + Guid.NewGuid().ToString("N"), ["MAIL_DEMO"] = "1",
            ["Mail__Imap__AllowPlaintextAuth"] = "true",
        };
        return (new SiloProcess(environment, new Uri($"http://127.0.0.1:{http}/health")), smtp, imap);
    }

    private static async Task<ImapClient> ImapAsync(int port)
    {
        var client = new ImapClient();
        await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None);
        await client.AuthenticateAsync("bob@example.test", "demo-password");
        return client;
    }

    private static async Task RunAsync(string script, string[] args, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepoRoot.Path, "infra", script));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{script} exited with {process.ExitCode}: {await output}{await errors}");
    }
}
