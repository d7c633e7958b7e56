using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Mail.Frontends.Smtp.Session;
using Npgsql;
using Xunit.Abstractions;

namespace Mail.Integration.Tests.Cluster;

/// <summary>
/// The fencing epoch between two real silo processes on one PostgreSQL (README, Fencing): silo A's activation of bob's
/// mailbox has a delivery's write in flight when A is frozen (SIGSTOP); the cluster declares A dead and silo B activates
/// the mailbox anew (a new epoch); the stale write then meets the new epoch and is refused, B delivers, A is let go
/// (SIGCONT) and answers 451, and nothing of the stale write is stored.
/// </summary>
/// <remarks>
/// Nothing here waits on a guess. The stale write is held in PostgreSQL, where the test sees it: the test's own open
/// transaction has inserted the write's delivery id (computed as the SMTP frontend computes it), so A's
/// <c>mailbox_deliver</c> waits on that key before its fencing check, which comes right after the delivery-id insert.
/// The test releases it (rolls back) only after B's activation has taken the new epoch, so the check runs against B's
/// epoch and PostgreSQL refuses the write while A is still frozen; B has written nothing yet, so without the check the
/// write would have committed. After SIGCONT, A learns it was declared dead only when it next reads the membership
/// table (Orleans then stops the silo); the test holds that table locked until A has answered, as a silo that resumes
/// between two table refreshes is unaware for up to TableRefreshTimeout, so the answer A gives is its stale
/// activation's own and never a race with its exit.
/// </remarks>
public sealed class StaleActivationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Sender = "x@remote.example";
    private const string Recipient = "bob@example.test";
    private const int DeadStatus = 6; // Orleans' SiloStatus.Dead in the membership table

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
    public async Task AStaleActivationsWriteIsRefusedByTheFenceAfterAnotherSiloTookTheMailboxOver()
    {
        var clock = Stopwatch.StartNew();
        // A without the caller-side retry of deliveries, so that its stale activation's own answer reaches the client
        // (with it, A would retry the delivery elsewhere and answer for where that landed).
        var a = Silo("a", demo: true, retry: false);
        var b = Silo("b", demo: false, retry: true);
        await using (a.Process)
        await using (b.Process)
        {
            await a.Process.StartAsync();
            // Only A is up: bob's mailbox grain activates there and takes the first epoch.
            Assert.Null(await new RawSmtpClient("127.0.0.1", a.SmtpPort).SendAsync(Sender, Recipient, Message("on-a"), CancellationToken.None));
            var account = (string)(await ScalarAsync("SELECT account_id FROM directory_accounts WHERE address = @r", ("r", Recipient)))!;
            var epochOnA = await EpochAsync(account);
            await b.Process.StartAsync();
            output.WriteLine($"stale activation: both silos up after {clock.Elapsed.TotalSeconds:F1} s");

            // The test holds the key A's write inserts first, in a transaction it leaves open.
            var stale = Message("stale");
            var deliveryId = $"{DeliveryHandoff.SubmissionId(Sender, [Recipient], SHA256.HashData(stale))}/{account}";
            await using var keyHolder = await OpenAsync();
            await using var keyHold = await keyHolder.BeginTransactionAsync();
            await ExecuteAsync(keyHolder, "INSERT INTO mailbox_deliveries (account_id, delivery_id, message_id) VALUES (@a, @d, -1)", ("a", account), ("d", deliveryId));

            // The delivery through A: its activation (the first epoch) issues the write, which waits on the test's key.
            using var held = await SendAsync(a.SmtpPort, stale);
            var inFlight = Stopwatch.StartNew();
            var backend = await WaitForAsync("A's write waiting on the test's lock", TimeSpan.FromSeconds(30), async () => await ScalarAsync(
                "SELECT pid FROM pg_stat_activity WHERE application_name = @n AND wait_event_type = 'Lock' AND query LIKE '%mailbox_deliver%' " +
                "AND @holder = ANY(pg_blocking_pids(pid))", ("n", a.ApplicationName), ("holder", keyHolder.ProcessID)) as int?);

            a.Process.Pause();
            var paused = Stopwatch.StartNew();
            // B declares A dead and takes the mailbox over: a sender's transaction through B gets as far as RCPT, whose quota
            // check activates bob's mailbox on B (a new epoch). Nothing of this goes through A.
            await WaitForAsync("A declared dead", TimeSpan.FromSeconds(60), async () => await ScalarAsync(
                "SELECT status FROM orleans_membership WHERE deployment_id = @c AND port = @p ORDER BY generation DESC LIMIT 1",
                ("c", a.ClusterId), ("p", a.SiloPort)) is DeadStatus ? true : (bool?)null);
            output.WriteLine($"stale activation: A declared dead {paused.Elapsed.TotalSeconds:F1} s after it was paused");
            using var throughB = await OpenThroughRcptAsync(b.SmtpPort);
            var epochOnB = await EpochAsync(account);
            Assert.True(epochOnB > epochOnA, $"B's activation should have taken a new epoch (A had {epochOnA}, now {epochOnB})");
            output.WriteLine($"stale activation: B took the mailbox over (epoch {epochOnB}) {paused.Elapsed.TotalSeconds:F1} s after A was paused");

            // The key goes (rollback): A's write inserts it and reaches its fencing check, which finds B's epoch. Without the
            // check the write would commit here (B has written nothing yet, so no key or UID collides) behind the back of
            // B's activation. PostgreSQL refuses it while A is still frozen, and nothing of it is stored.
            await keyHold.RollbackAsync();
            await WaitForAsync("A's write answered", TimeSpan.FromSeconds(30), async () => await ScalarAsync(
                "SELECT state FROM pg_stat_activity WHERE pid = @p", ("p", backend)) is "active" ? (bool?)null : true);
            Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM mailbox_deliveries WHERE account_id = @a AND delivery_id = @d", ("a", account), ("d", deliveryId)));
            Assert.Equal(["on-a"], await SubjectsAsync(account));
            await AssertWholeAsync(account, 1);

            // B's transaction ends: its activation files the message after on-a (a sender would retry a 451 as below).
            var onB = Message("on-b");
            var bReply = await FinishAsync(throughB.Stream, onB);
            output.WriteLine($"stale activation: B answered: {bReply}");
            if (bReply?.StartsWith("250", StringComparison.Ordinal) != true) await DeliverWithRetriesAsync(b.SmtpPort, onB);
            Assert.Equal(["on-a", "on-b"], await SubjectsAsync(account));
            await AssertWholeAsync(account, 2);
            Assert.Equal(epochOnB, await EpochAsync(account));

            // A runs again while the membership table is locked, so it cannot yet learn that it was declared dead: its
            // stale activation gets the refusal and the client a 451, never a 250 for a message that is not stored.
            await using (var membershipHolder = await OpenAsync())
            await using (var membershipHold = await membershipHolder.BeginTransactionAsync())
            {
                await ExecuteAsync(membershipHolder, "SET LOCAL lock_timeout = '20s'");
                await ExecuteAsync(membershipHolder, "LOCK TABLE orleans_membership_version, orleans_membership IN ACCESS EXCLUSIVE MODE");
                output.WriteLine($"stale activation: A resumed {paused.Elapsed.TotalSeconds:F1} s after it was paused");
                // A's calls give up after 30 s (Orleans' response timeout, Npgsql's command timeout): past that A would answer
                // a timeout, not the fence's refusal, so a take-over that slow cannot show what this test is about.
                Assert.True(inFlight.Elapsed < TimeSpan.FromSeconds(25),
                    $"A's delivery was in flight for {inFlight.Elapsed.TotalSeconds:F1} s before A resumed; its calls time out after 30 s");
                a.Process.Resume();
                var reply = await ReadReplyAsync(held.Stream, TimeSpan.FromSeconds(30));
                output.WriteLine($"stale activation: A answered: {reply ?? "(connection closed)"}");
                Assert.NotNull(reply);
                Assert.StartsWith("451 ", reply);
                await WaitForAsync("A's log of the fenced write", TimeSpan.FromSeconds(15), async () =>
                    (await ReadLogAsync(a.LogPath)).Contains("taken over by another activation; the write was not applied", StringComparison.Ordinal) ? true : (bool?)null);
                await membershipHold.RollbackAsync();
            }

            // A reads the table, finds itself dead and stops (Orleans' FatalErrorHandler).
            Assert.True(await a.Process.WaitForExitAsync(TimeSpan.FromSeconds(40)), "A should stop once it reads that it was declared dead");
            Assert.Contains("I have been told I am dead", await ReadLogAsync(a.LogPath));
            Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM mailbox_deliveries WHERE account_id = @a AND delivery_id = @d", ("a", account), ("d", deliveryId)));
            Assert.Equal(["on-a", "on-b"], await SubjectsAsync(account));
            await AssertWholeAsync(account, 2);

            // The sender retries through B: stored once, under the same delivery id, after the others.
            await DeliverWithRetriesAsync(b.SmtpPort, stale);
            Assert.Equal(["on-a", "on-b", "stale"], await SubjectsAsync(account));
            Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM mailbox_deliveries WHERE account_id = @a AND delivery_id = @d", ("a", account), ("d", deliveryId)));
            await AssertWholeAsync(account, 3);
            output.WriteLine($"stale activation: done in {clock.Elapsed.TotalSeconds:F1} s");
        }
    }

    private TestSilo Silo(string name, bool demo, bool retry)
    {
        var httpPort = FreePort.Next();
        var smtpPort = FreePort.Next();
        var siloPort = FreePort.Next();
        var clusterId = "stale-" + _database.Name;
        var applicationName = "stale-silo-" + name;
        var environment = new Dictionary<string, string>
        {
            // Its own application name, so the test can tell this silo's PostgreSQL sessions apart.
            ["MAIL_DB"] = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { ApplicationName = applicationName }.ConnectionString,
            ["MAIL_DATA_DIR"] = _dataDir.Path,
            ["MAIL_HTTP_URL"] = $"http://127.0.0.1:{httpPort}",
            ["MAIL_SMTP_PORT"] = smtpPort.ToString(CultureInfo.InvariantCulture),
            ["MAIL_SUBMISSION_PORT"] = Port(), ["MAIL_SUBMISSIONS_PORT"] = Port(),
            ["MAIL_IMAP_PORT"] = Port(), ["MAIL_IMAPS_PORT"] = Port(), ["MAIL_POP3_PORT"] = Port(), ["MAIL_POP3S_PORT"] = Port(), ["MAIL_MANAGESIEVE_PORT"] = Port(),
            ["MAIL_SILO_PORT"] = siloPort.ToString(CultureInfo.InvariantCulture), ["MAIL_GATEWAY_PORT"] = Port(),
            ["MAIL_CLUSTER_ID"] = clusterId,
            ["MAIL_DEMO"] = demo ? "1" : "0",
            ["Mail__Cluster__RetryIdempotentCalls"] = retry ? "true" : "false",
            // Declare a silo dead after two missed one-second probes; one vote is enough with two silos.
            ["Mail__Cluster__Membership__ProbeTimeout"] = "00:00:01",
            ["Mail__Cluster__Membership__NumMissedProbesLimit"] = "2",
            ["Mail__Cluster__Membership__NumVotesForDeathDeclaration"] = "1",
        };
        var log = Path.Combine(_dataDir.Path, $"silo-{name}.log");
        return new TestSilo(new SiloProcess(environment, new Uri($"http://127.0.0.1:{httpPort}/health"), log), smtpPort, siloPort, clusterId, applicationName, log);
    }

    private static string Port() => FreePort.Next().ToString(CultureInfo.InvariantCulture);

    private static byte[] Message(string subject) => Encoding.ASCII.GetBytes(
        $"From: <{Sender}>\r\nTo: <{Recipient}>\r\nSubject: {subject}\r\nMessage-ID: <{subject}@remote.example>\r\n\r\n{subject} body\r\n");

    /// <summary>
    /// The mailbox is whole: its change log is gapless and ends at its HIGHESTMODSEQ, and the mailbox and INBOX counters
    /// match the rows (<paramref name="messages"/> messages, each delivery id once, UIDs 1..n).
    /// </summary>
    private async Task AssertWholeAsync(string account, long messages)
    {
        Assert.Equal(0L, await ScalarAsync(
            "SELECT count(*) FROM (SELECT modseq - lag(modseq) OVER (ORDER BY modseq) AS step FROM mailbox_changes WHERE account_id = @a) s WHERE step <> 1",
            ("a", account)));
        Assert.Equal(true, await ScalarAsync(
            "SELECT (SELECT max(modseq) FROM mailbox_changes WHERE account_id = @a) = (SELECT highest_modseq FROM mailboxes WHERE account_id = @a)", ("a", account)));
        Assert.Equal(true, await ScalarAsync(
            """
            SELECT m.message_count = @n AND m.quota_used = (SELECT coalesce(sum(size), 0) FROM mailbox_messages WHERE account_id = @a)
               AND (SELECT count(*) FROM mailbox_messages WHERE account_id = @a) = @n
               AND (SELECT count(*) FROM mailbox_deliveries WHERE account_id = @a) = @n
               AND f.message_count = @n AND f.uid_next = @n + 1
               AND (SELECT array_agg(uid ORDER BY uid) FROM mailbox_messages WHERE account_id = @a AND folder_id = f.folder_id)
                   = (SELECT array_agg(i::bigint) FROM generate_series(1, @n) i)
            FROM mailboxes m JOIN mailbox_folders f ON f.account_id = m.account_id AND f.name = 'INBOX'
            WHERE m.account_id = @a
            """, ("a", account), ("n", messages)));
    }

    /// <summary>Delivers through <paramref name="port"/>, retrying temporary refusals for up to a minute, as a sending MTA would.</summary>
    private async Task DeliverWithRetriesAsync(int port, byte[] message)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await new RawSmtpClient("127.0.0.1", port).SendAsync(Sender, Recipient, message, CancellationToken.None);
                if (last is null) return;
                output.WriteLine($"stale activation: retrying after {last}");
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                last = e.Message;
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"no 250 within 60 s; last reply: {last}");
    }

    /// <summary>A whole SMTP transaction up to and including the end of data, without reading the final reply.</summary>
    private static async Task<OpenDelivery> SendAsync(int port, byte[] message)
    {
        var delivery = await OpenTransactionAsync(port) ?? throw new InvalidOperationException("The transaction was refused before DATA.");
        await delivery.Stream.WriteAsync("DATA\r\n"u8.ToArray());
        Assert.StartsWith("354", await ReadReplyAsync(delivery.Stream, TimeSpan.FromSeconds(10)));
        await delivery.Stream.WriteAsync(message);
        await delivery.Stream.WriteAsync(".\r\n"u8.ToArray());
        return delivery;
    }

    /// <summary>A transaction through RCPT (the recipient's mailbox answered its quota), retried for up to a minute.</summary>
    private async Task<OpenDelivery> OpenThroughRcptAsync(int port)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await OpenTransactionAsync(port) is { } delivery) return delivery;
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                output.WriteLine($"stale activation: retrying RCPT after {e.Message}");
            }
            if (deadline.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException("RCPT was not accepted within 60 s.");
            await Task.Delay(250);
        }
    }

    /// <summary>DATA, the message and the end of data on an open transaction; the final reply.</summary>
    private static async Task<string?> FinishAsync(NetworkStream stream, byte[] message)
    {
        await stream.WriteAsync("DATA\r\n"u8.ToArray());
        var reply = await ReadReplyAsync(stream, TimeSpan.FromSeconds(30));
        if (reply?.StartsWith("354", StringComparison.Ordinal) != true) return reply;
        await stream.WriteAsync(message);
        await stream.WriteAsync(".\r\n"u8.ToArray());
        return await ReadReplyAsync(stream, TimeSpan.FromSeconds(60));
    }

    /// <summary>EHLO, MAIL and RCPT; the open transaction, or null (connection closed) when RCPT was not accepted.</summary>
    private static async Task<OpenDelivery?> OpenTransactionAsync(int port)
    {
        var tcp = new TcpClient { NoDelay = true };
        var delivery = new OpenDelivery(tcp, null!);
        try
        {
            await tcp.ConnectAsync("127.0.0.1", port);
            delivery = delivery with { Stream = tcp.GetStream() };
            Assert.StartsWith("220", await ReadReplyAsync(delivery.Stream, TimeSpan.FromSeconds(10)));
            foreach (var command in new[] { "EHLO held.test", $"MAIL FROM:<{Sender}>", $"RCPT TO:<{Recipient}>" })
            {
                await delivery.Stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"));
                if (await ReadReplyAsync(delivery.Stream, TimeSpan.FromSeconds(30)) is not { } reply || !reply.StartsWith("250", StringComparison.Ordinal))
                {
                    delivery.Dispose();
                    return null;
                }
            }
            return delivery;
        }
        catch
        {
            delivery.Dispose();
            throw;
        }
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

    /// <summary>Polls <paramref name="probe"/> until it gives a value; fails naming <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    private static async Task<T> WaitForAsync<T>(string what, TimeSpan timeout, Func<Task<T?>> probe) where T : struct
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } value) return value;
            if (deadline.Elapsed > timeout) throw new TimeoutException($"Waited {timeout.TotalSeconds:F0} s for {what}.");
            await Task.Delay(100);
        }
    }

    private static async Task<string> ReadLogAsync(string path)
    {
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(file);
            return await reader.ReadToEndAsync();
        }
        catch (IOException)
        {
            return "";
        }
    }

    private async Task<string[]> SubjectsAsync(string account)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("SELECT subject FROM mailbox_messages WHERE account_id = @a ORDER BY modseq", connection);
        command.Parameters.AddWithValue("a", account);
        var subjects = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) subjects.Add(reader.GetString(0));
        return subjects.ToArray();
    }

    private async Task<long> EpochAsync(string account) => (long)(await ScalarAsync("SELECT epoch FROM mailboxes WHERE account_id = @a", ("a", account)))!;

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<object?> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        var result = await command.ExecuteScalarAsync();
        return result is DBNull ? null : result;
    }

    private sealed record TestSilo(SiloProcess Process, int SmtpPort, int SiloPort, string ClusterId, string ApplicationName, string LogPath);

    private sealed record OpenDelivery(TcpClient Tcp, NetworkStream Stream) : IDisposable
    {
        public void Dispose() => Tcp.Dispose();
    }
}
