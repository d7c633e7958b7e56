using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Npgsql;

namespace Mail.Integration.Tests.Smtp;

/// <summary>
/// Killing the server during an SMTP load loses no message that got 250 and, once senders retry, duplicates none;
/// every stored message's content (packed into segment files that were being appended to at the kill) reads back intact.
/// </summary>
public sealed class KillDuringLoadTests : IAsyncLifetime
{
    private readonly TempDirectory _dataDir = new();
    private TestDatabase _database = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync("killload");

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _dataDir.Dispose();
    }

    [Fact]
    public async Task AcceptedMessagesSurviveAKillAndRetriesDoNotDuplicate()
    {
        var httpPort = FreePort.Next();
        var smtpPort = FreePort.Next();
        var environment = new Dictionary<string, string>
        {
            ["MAIL_DB"] = _database.ConnectionString,
            ["MAIL_DATA_DIR"] = _dataDir.Path,
            ["MAIL_HTTP_URL"] = $"http://127.0.0.1:{httpPort}",
            ["MAIL_SMTP_PORT"] = smtpPort.ToString(CultureInfo.InvariantCulture),
            ["MAIL_SUBMISSION_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["MAIL_SUBMISSIONS_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            // Free ports for every listener: the defaults may be taken by another host on this machine.
            ["MAIL_IMAP_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["MAIL_IMAPS_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["MAIL_POP3_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["MAIL_POP3S_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["MAIL_MANAGESIEVE_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["MAIL_SILO_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["MAIL_GATEWAY_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["MAIL_CLUSTER_ID"] = "kill-" + _database.Name,
            ["MAIL_ARGON2_MEMORY_KIB"] = "1024",
            ["MAIL_ARGON2_ITERATIONS"] = "1",
            // Delivers to the demo user bob, and the silo's own default is no demo tenant.
            ["MAIL_DEMO"] = "1",
        };
        var messages = Enumerable.Range(0, 100_000).Select(Message).ToArray();
        var accepted = new ConcurrentDictionary<int, bool>();
        var silo = new SiloProcess(environment, new Uri($"http://127.0.0.1:{httpPort}/health"));
        await using (silo)
        {
            await silo.StartAsync();
            var client = new RawSmtpClient("127.0.0.1", smtpPort);
            var next = -1;
            var attempted = new ConcurrentDictionary<int, bool>();
            using var stop = new CancellationTokenSource();
            var senders = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var i = Interlocked.Increment(ref next);
                    attempted[i] = true;
                    try
                    {
                        if (await client.SendAsync("load@remote.example", "bob@example.test", messages[i], CancellationToken.None) is null) accepted[i] = true;
                    }
                    catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
                    {
                        await Task.Delay(20);
                    }
                }
            })).ToArray();
            while (accepted.Count < 150) await Task.Delay(10);
            await silo.KillAsync();
            await Task.Delay(300);
            await stop.CancelAsync();
            await Task.WhenAll(senders);

            await silo.StartAsync();
            foreach (var i in attempted.Keys.Where(i => !accepted.ContainsKey(i)).Order())
            {
                Assert.Null(await client.SendAsync("load@remote.example", "bob@example.test", messages[i], CancellationToken.None));
            }
            var stored = await StoredSubjectsAsync();
            Assert.All(accepted.Keys, i => Assert.True(stored.ContainsKey($"kill {i}"), $"message {i} got 250 but is missing"));
            Assert.All(stored, s => Assert.True(s.Value == 1, $"{s.Key} is stored {s.Value} times"));
            Assert.Equal(attempted.Count, stored.Count);
            await AssertContentIntactAsync(messages);
        }
    }

    /// <summary>Reads every stored message's blob as the server does and checks it ends with what the client sent (the server prepends trace headers).</summary>
    private async Task AssertContentIntactAsync(byte[][] messages)
    {
        var blobs = new Mail.Storage.Blobs.EncryptedBlobStore(
            new Mail.Storage.Blobs.FileSystemBlobStore(Path.Combine(_dataDir.Path, "blobs")),
            await TestKeys.OpenStoreAsync(_database.ConnectionString, _dataDir.Path));
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT m.subject, m.blob_tenant, m.blob_name, m.size FROM mailbox_messages m JOIN directory_accounts d ON d.account_id = m.account_id
            WHERE d.address = 'bob@example.test' AND m.folder_id = 1
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var checkedCount = 0;
        while (await reader.ReadAsync())
        {
            var index = int.Parse(reader.GetString(0)["kill ".Length..], CultureInfo.InvariantCulture);
            await using var stream = await blobs.OpenReadAsync(reader.GetString(1), new Mail.Storage.Blobs.BlobRef(reader.GetString(2), reader.GetInt64(3)), CancellationToken.None);
            var content = new MemoryStream();
            await stream.CopyToAsync(content);
            Assert.True(content.ToArray().AsSpan().EndsWith(messages[index]), $"message {index} reads back altered");
            checkedCount++;
        }
        Assert.True(checkedCount >= 150, $"only {checkedCount} messages checked");
    }

    private static byte[] Message(int i) => Encoding.ASCII.GetBytes(
        $"From: <load@remote.example>\r\nTo: <bob@example.test>\r\nSubject: kill {i}\r\nMessage-ID: <kill-{i}@remote.example>\r\n\r\n" +
        string.Concat(Enumerable.Repeat($"line of message {i} to make it a few kilobytes long.\r\n", 40)));

    private async Task<Dictionary<string, int>> StoredSubjectsAsync()
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT m.subject, count(*) FROM mailbox_messages m JOIN directory_accounts d ON d.account_id = m.account_id
            WHERE d.address = 'bob@example.test' AND m.folder_id = 1 GROUP BY m.subject
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var subjects = new Dictionary<string, int>();
        while (await reader.ReadAsync()) subjects[reader.GetString(0)] = (int)reader.GetInt64(1);
        return subjects;
    }
}
