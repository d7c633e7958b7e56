using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Npgsql;
using Xunit.Abstractions;

namespace Mail.Integration.Tests.Cluster;

/// <summary>
/// The fencing epoch between two real silo processes on one PostgreSQL: silo A holds bob's mailbox grain and is frozen
/// (SIGSTOP); the cluster declares it dead and silo B activates the mailbox anew (a new epoch) and delivers; A is let go
/// (SIGCONT) with a delivery already on its socket, and its stale activation's write is refused instead of corrupting
/// the mailbox.
/// </summary>
public sealed class StaleActivationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempDirectory _dataDir = new();
    private TestDatabase _database = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync("stale");

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _dataDir.Dispose();
    }

    [Fact]
    public async Task AStaleActivationOnAResumedSiloCannotWriteAfterAnotherSiloTookTheMailboxOver()
    {
        // A without the caller-side retry of deliveries, so that its stale activation's own answer reaches the client.
        var (a, aSmtp, aLog) = Silo("a", demo: true, retry: false);
        var (b, bSmtp, _) = Silo("b", demo: false, retry: true);
        await using (a)
        await using (b)
        {
            await a.StartAsync();
            // Only A is up: bob's mailbox grain activates there and takes the first epoch.
            Assert.Null(await new RawSmtpClient("127.0.0.1", aSmtp).SendAsync("x@remote.example", "bob@example.test", Message("on-a"), CancellationToken.None));
            var epochOnA = await ScalarAsync("SELECT epoch FROM mailboxes m JOIN directory_accounts a ON a.account_id = m.account_id WHERE a.address = 'bob@example.test'");
            await b.StartAsync();

            // A delivery to A, held before its final dot: the write happens, on A, only after A wakes up.
            using var held = await HeldDeliveryAsync(aSmtp, Message("stale"));
            a.Pause();
            var paused = Stopwatch.StartNew();
            await DeliverWithRetriesAsync(bSmtp, Message("on-b"));
            output.WriteLine($"stale activation: B delivered {paused.Elapsed.TotalSeconds:F1} s after A was paused");
            var epochOnB = await ScalarAsync("SELECT epoch FROM mailboxes m JOIN directory_accounts a ON a.account_id = m.account_id WHERE a.address = 'bob@example.test'");
            Assert.True(epochOnB > epochOnA, $"B's activation should have taken a new epoch (A had {epochOnA}, now {epochOnB})");

            // The final dot is in A's socket buffer before A runs again, so A's first act is the stale write.
            await held.Stream.WriteAsync(".\r\n"u8.ToArray());
            a.Resume();
            var reply = await ReadReplyAsync(held.Stream, TimeSpan.FromSeconds(60));
            output.WriteLine($"stale activation: A answered the held delivery with: {reply ?? "(connection closed)"}");

            // Whatever A answers, the mailbox stays whole: a 250 means the message is stored once (A's call reached the
            // mailbox's current activation on B), a 451 means its stale activation's write was refused by the fence (A logs
            // the store's reason) and nothing was stored; A never writes under its old epoch.
            var log = await File.ReadAllTextAsync(aLog);
            var acknowledged = reply is not null && reply.StartsWith("250", StringComparison.Ordinal);
            Assert.True(reply is null || acknowledged || reply.StartsWith('4'), $"unexpected reply {reply}");
            if (reply is not null && !acknowledged) Assert.Contains("taken over by another activation", log);
            string[] expected = acknowledged ? ["on-a", "on-b", "stale"] : ["on-a", "on-b"];
            Assert.Equal(expected, await SubjectsAsync());
            Assert.Equal(0, await ScalarAsync(
                "SELECT count(*) FROM (SELECT modseq - lag(modseq) OVER (ORDER BY modseq) AS step FROM mailbox_changes c JOIN directory_accounts a " +
                "ON a.account_id = c.account_id WHERE a.address = 'bob@example.test') s WHERE step <> 1"));
            Assert.Equal(expected.Length, await ScalarAsync(
                "SELECT m.message_count FROM mailboxes m JOIN directory_accounts a ON a.account_id = m.account_id WHERE a.address = 'bob@example.test'"));

            // The sender retries the message through B (a no-op when A acknowledged it): stored once, after the others.
            await DeliverWithRetriesAsync(bSmtp, Message("stale"));
            Assert.Equal(["on-a", "on-b", "stale"], await SubjectsAsync());
        }
    }

    private (SiloProcess Process, int SmtpPort, string LogPath) Silo(string name, bool demo, bool retry)
    {
        var httpPort = FreePort.Next();
        var smtpPort = FreePort.Next();
        var environment = new Dictionary<string, string>
        {
            ["MAIL_DB"] = _database.ConnectionString,
            ["MAIL_DATA_DIR"] = _dataDir.Path,
            ["MAIL_HTTP_URL"] = $"http://127.0.0.1:{httpPort}",
            ["MAIL_SMTP_PORT"] = smtpPort.ToString(CultureInfo.InvariantCulture),
            ["MAIL_SUBMISSION_PORT"] = Port(), ["MAIL_SUBMISSIONS_PORT"] = Port(),
            ["MAIL_IMAP_PORT"] = Port(), ["MAIL_IMAPS_PORT"] = Port(), ["MAIL_POP3_PORT"] = Port(), ["MAIL_POP3S_PORT"] = Port(), ["MAIL_MANAGESIEVE_PORT"] = Port(),
            ["MAIL_SILO_PORT"] = Port(), ["MAIL_GATEWAY_PORT"] = Port(),
            ["MAIL_CLUSTER_ID"] = "stale-" + _database.Name,
            ["MAIL_DEMO"] = demo ? "1" : "0",
            ["Mail__Cluster__RetryIdempotentCalls"] = retry ? "true" : "false",
            // Declare a silo dead after two missed one-second probes; one vote is enough with two silos.
            ["Mail__Cluster__Membership__ProbeTimeout"] = "00:00:01",
            ["Mail__Cluster__Membership__NumMissedProbesLimit"] = "2",
            ["Mail__Cluster__Membership__NumVotesForDeathDeclaration"] = "1",
        };
        var log = Path.Combine(_dataDir.Path, $"silo-{name}.log");
        return (new SiloProcess(environment, new Uri($"http://127.0.0.1:{httpPort}/health"), log), smtpPort, log);
    }

    private static string Port() => FreePort.Next().ToString(CultureInfo.InvariantCulture);

    private static byte[] Message(string subject) => Encoding.ASCII.GetBytes(
        $"From: <x@remote.example>\r\nTo: <bob@example.test>\r\nSubject: {subject}\r\nMessage-ID: <{subject}@remote.example>\r\n\r\n{subject} body\r\n");

    /// <summary>Delivers through <paramref name="port"/>, retrying temporary refusals for up to a minute, as a sending MTA would.</summary>
    private async Task DeliverWithRetriesAsync(int port, byte[] message)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await new RawSmtpClient("127.0.0.1", port).SendAsync("x@remote.example", "bob@example.test", message, CancellationToken.None);
                if (last is null) return;
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                last = e.Message;
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"no 250 within 60 s; last reply: {last}");
    }

    /// <summary>An SMTP transaction through DATA and the body, without the final dot.</summary>
    private static async Task<HeldDelivery> HeldDeliveryAsync(int port, byte[] message)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", port);
        var stream = tcp.GetStream();
        var held = new HeldDelivery(tcp, stream);
        Assert.StartsWith("220", await ReadReplyAsync(stream, TimeSpan.FromSeconds(10)));
        foreach (var (command, expected) in new[] { ("EHLO held.test", "250"), ("MAIL FROM:<x@remote.example>", "250"), ("RCPT TO:<bob@example.test>", "250"), ("DATA", "354") })
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"));
            Assert.StartsWith(expected, await ReadReplyAsync(stream, TimeSpan.FromSeconds(10)));
        }
        await stream.WriteAsync(message);
        return held;
    }

    /// <summary>The last line of the next reply, or null when the connection closes.</summary>
    private static async Task<string?> ReadReplyAsync(NetworkStream stream, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var line = new StringBuilder();
        var one = new byte[1];
        try
        {
            while (true)
            {
                if (await stream.ReadAsync(one, cts.Token) == 0) return null;
                line.Append((char)one[0]);
                if (line.Length < 2 || line[^2] != '\r' || line[^1] != '\n') continue;
                var text = line.ToString(0, line.Length - 2);
                if (text.Length < 4 || text[3] != '-') return text;
                line.Clear();
            }
        }
        catch (IOException)
        {
            return null;
        }
    }

    private async Task<string[]> SubjectsAsync()
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT m.subject FROM mailbox_messages m JOIN directory_accounts a ON a.account_id = m.account_id WHERE a.address = 'bob@example.test' ORDER BY m.modseq",
            connection);
        var subjects = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) subjects.Add(reader.GetString(0));
        return subjects.ToArray();
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private sealed record HeldDelivery(TcpClient Tcp, NetworkStream Stream) : IDisposable
    {
        public void Dispose() => Tcp.Dispose();
    }
}
