using System.Text;
using Npgsql;

namespace Mail.Frontends.Tests.Pop3;

/// <summary>
/// The maildrop across sessions (RFC 1939 §5, §6, §8): the exclusive lock, deletions applied only by QUIT,
/// unique-ids that never change or get reused, and content identical to what the mailbox stores.
/// </summary>
[Collection(Pop3HostCollection.Name)]
public sealed class Pop3MaildropTests(Pop3HostFixture host)
{
    [Fact]
    public async Task DeletionsTakeEffectOnlyAtQuit()
    {
        var user = await Pop3Mailboxes.CreateUserWithMessagesAsync(host, 3);
        var before = (await Pop3Mailboxes.InboxAsync(host, user)).Messages;

        await using var pop3 = await Pop3Transcript.LoginAsync(host.Pop3TlsPort, user);
        await pop3.RunAsync("""
            C: DELE 1
            S: +OK message 1 deleted
            C: DELE 3
            S: +OK message 3 deleted
            C: NOOP
            S: +OK
            """);
        Assert.Equal(3, (await Pop3Mailboxes.InboxAsync(host, user)).Messages.Count);

        await pop3.RunAsync("""
            C: QUIT
            S: +OK Mail POP3 server signing off (1 message left)
            S: <closed>
            """);
        var after = Assert.Single((await Pop3Mailboxes.InboxAsync(host, user)).Messages);
        Assert.Equal(before[1].MessageId, after.MessageId);
    }

    [Fact]
    public async Task QuitRemovesEveryMarkedMessageInOneWrite()
    {
        var user = await Pop3Mailboxes.CreateUserWithMessagesAsync(host, 6);
        var before = (await Pop3Mailboxes.InboxAsync(host, user)).Messages;

        await using (var pop3 = await Pop3Transcript.LoginAsync(host.Pop3TlsPort, user))
        {
            await pop3.RunAsync($$"""
                C: DELE 1
                S: +OK message 1 deleted
                C: DELE 2
                S: +OK message 2 deleted
                C: DELE 4
                S: +OK message 4 deleted
                C: DELE 5
                S: +OK message 5 deleted
                C: DELE 6
                S: +OK message 6 deleted
                C: STAT
                S: +OK 1 {{before[2].Size}}
                C: LIST
                S: +OK 1 message ({{before[2].Size}} octets)
                S: 3 {{before[2].Size}}
                S: .
                C: QUIT
                S: +OK Mail POP3 server signing off (1 message left)
                S: <closed>
                """);
        }

        var left = Assert.Single((await Pop3Mailboxes.InboxAsync(host, user)).Messages);
        Assert.Equal(before[2].MessageId, left.MessageId);
        var accountId = (await Pop3Mailboxes.MailboxAsync(host, user)).GetPrimaryKeyString();
        await using var connection = new NpgsqlConnection(host.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*), count(DISTINCT xmin::text) FROM mailbox_changes WHERE account_id = @a AND kind = 3", connection);
        command.Parameters.AddWithValue("a", accountId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        // Five Expunged change rows, written by one transaction.
        Assert.Equal((5L, 1L), (reader.GetInt64(0), reader.GetInt64(1)));
    }

    [Fact]
    public async Task DroppedConnectionWithoutQuitDeletesNothingAndReleasesTheLock()
    {
        var user = await Pop3Mailboxes.CreateUserWithMessagesAsync(host, 2);
        await using (var pop3 = await Pop3Transcript.LoginAsync(host.Pop3TlsPort, user))
        {
            await pop3.RunAsync("""
                C: DELE 1
                S: +OK message 1 deleted
                C: DELE 2
                S: +OK message 2 deleted
                """);
        }

        await using var next = await LoginWhenUnlockedAsync(user);
        await next.RunAsync("""
            C: STAT
            S: +OK 2 *
            """);
        Assert.Equal(2, (await Pop3Mailboxes.InboxAsync(host, user)).Messages.Count);
    }

    [Fact]
    public async Task SecondSessionIsRefusedWithInUseWhileTheFirstHoldsTheLock()
    {
        var user = await Pop3Mailboxes.CreateUserWithMessagesAsync(host, 1);
        await using var first = await Pop3Transcript.LoginAsync(host.Pop3TlsPort, user);
        await using var second = await Pop3Transcript.OpenAsync(host.Pop3TlsPort, implicitTls: true);
        await second.RunAsync($"""
            C: USER {user}
            S: +OK send PASS
            C: PASS test-password
            S: -ERR [IN-USE] maildrop already locked
            C: AUTH PLAIN {Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{user}\0test-password"))}
            S: -ERR [IN-USE] maildrop already locked
            C: STAT
            S: -ERR STAT is not valid in the AUTHORIZATION state
            """);

        await first.RunAsync("""
            C: STAT
            S: +OK 1 *
            C: QUIT
            S: +OK Mail POP3 server signing off (1 message left)
            S: <closed>
            """);
        await second.RunAsync($"""
            C: USER {user}
            S: +OK send PASS
            C: PASS test-password
            S: +OK maildrop has 1 message *
            """);
    }

    [Fact]
    public async Task UniqueIdsAreStableAcrossSessionsAndNeverReused()
    {
        var user = await Pop3Mailboxes.CreateUserWithMessagesAsync(host, 3);
        string[] first;
        await using (var pop3 = await Pop3Transcript.LoginAsync(host.Pop3TlsPort, user))
        {
            first = await UidlAsync(pop3);
            Assert.Equal(3, first.Distinct().Count());
            Assert.All(first, id => Assert.Matches("^[0-9]+\\.[0-9]+$", id));
            await pop3.RunAsync("""
                C: DELE 2
                S: +OK message 2 deleted
                C: QUIT
                S: +OK Mail POP3 server signing off (2 messages left)
                S: <closed>
                """);
        }

        await using (var pop3 = await Pop3Transcript.LoginAsync(host.Pop3TlsPort, user))
        {
            Assert.Equal([first[0], first[2]], await UidlAsync(pop3));
            await pop3.RunAsync($"""
                C: UIDL 2
                S: +OK 2 {first[2]}
                C: QUIT
                S: +OK*
                """);
        }

        await Pop3Mailboxes.DeliverAsync(host, user, Pop3Mailboxes.Message(user, "late", "late\r\n"));
        await using (var pop3 = await Pop3Transcript.LoginAsync(host.Pop3TlsPort, user))
        {
            var third = await UidlAsync(pop3);
            Assert.Equal([first[0], first[2]], third[..2]);
            Assert.DoesNotContain(third[2], first);
        }
    }

    [Fact]
    public async Task MessagesArrivingDuringASessionAppearInTheNextOne()
    {
        var user = await Pop3Mailboxes.CreateUserWithMessagesAsync(host, 1);
        await using (var pop3 = await Pop3Transcript.LoginAsync(host.Pop3TlsPort, user))
        {
            await Pop3Mailboxes.DeliverAsync(host, user, Pop3Mailboxes.Message(user, "during", "during\r\n"));
            await pop3.RunAsync("""
                C: STAT
                S: +OK 1 *
                C: LIST 2
                S: -ERR no such message, only 1 message in maildrop
                C: QUIT
                S: +OK Mail POP3 server signing off (1 message left)
                """);
        }
        await using var next = await Pop3Transcript.LoginAsync(host.Pop3TlsPort, user);
        await next.RunAsync("""
            C: STAT
            S: +OK 2 *
            """);
    }

    [Fact]
    public async Task RetrIsByteIdenticalToTheStoredMessageForEveryMessage()
    {
        var (user, client) = await ApiUsers.CreateAsync(host);
        client.Dispose();
        string[] bodies =
        [
            "plain\r\n",
            ".\r\n",
            "..\r\n.a\r\n\r\n.\r\nend\r\n",
            "tab\there, trailing space \r\n",
            "\u00fcber \u2603 \U0001F600\r\n" + string.Concat(Enumerable.Repeat("long line ", 99)) + "\r\n",
        ];
        foreach (var body in bodies) await Pop3Mailboxes.DeliverAsync(host, user, Pop3Mailboxes.Message(user, "bytes", body));
        var slots = (await Pop3Mailboxes.InboxAsync(host, user)).Messages;
        Assert.Equal(bodies.Length, slots.Count);

        await using var pop3 = await Pop3Transcript.LoginAsync(host.Pop3TlsPort, user);
        for (var n = 1; n <= slots.Count; n++)
        {
            var stored = await Pop3Mailboxes.RawAsync(host, user, slots[n - 1].MessageId);
            await pop3.RunAsync($"""
                C: RETR {n}
                S: +OK {stored.Length} octets
                """);
            var retrieved = await pop3.ReadBodyAsync();
            Assert.Equal(stored, retrieved);
            Assert.EndsWith(bodies[n - 1], Encoding.UTF8.GetString(retrieved));
        }
    }

    [Fact]
    public async Task MessageMovedAwayByAnotherClientIsNotRetrievedNorRemovedFromItsNewFolder()
    {
        var (user, client) = await ApiUsers.CreateAsync(host);
        using var _ = client;
        await Pop3Mailboxes.DeliverAsync(host, user, Pop3Mailboxes.Message(user, "moved", "moved\r\n"));
        var slot = Assert.Single((await Pop3Mailboxes.InboxAsync(host, user)).Messages);

        await using var pop3 = await Pop3Transcript.LoginAsync(host.Pop3TlsPort, user);
        (await client.DeleteAsync($"/v1/emails/{slot.MessageId}")).EnsureSuccessStatusCode();
        await pop3.RunAsync("""
            C: RETR 1
            S: -ERR message 1 was removed by another session
            C: DELE 1
            S: +OK message 1 deleted
            C: QUIT
            S: +OK Mail POP3 server signing off (maildrop empty)
            S: <closed>
            """);

        Assert.Single(await ApiUsers.ListAsync(client, "Trash"));
        Assert.Empty((await Pop3Mailboxes.InboxAsync(host, user)).Messages);
    }

    /// <summary>Logs in, retrying while the lock of a just-dropped session has not been released yet.</summary>
    private async Task<Pop3Transcript> LoginWhenUnlockedAsync(string user)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var pop3 = await Pop3Transcript.OpenAsync(host.Pop3TlsPort, implicitTls: true);
            await pop3.RunAsync($"""
                C: USER {user}
                S: +OK send PASS
                C: PASS test-password
                """);
            var reply = await pop3.ExpectLineStartsWithAsync("");
            if (reply.StartsWith("+OK maildrop has ", StringComparison.Ordinal)) return pop3;
            await pop3.DisposeAsync();
            Assert.Equal("-ERR [IN-USE] maildrop already locked", reply);
            Assert.True(DateTime.UtcNow < deadline, "the lock of the dropped session was not released");
            await Task.Delay(100);
        }
    }

    private static async Task<string[]> UidlAsync(Pop3Transcript pop3)
    {
        await pop3.RunAsync("""
            C: UIDL
            S: +OK
            """);
        var lines = Encoding.ASCII.GetString(await pop3.ReadBodyAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        return lines.Select((line, i) =>
        {
            var parts = line.Split(' ');
            Assert.Equal((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), parts[0]);
            return parts[1];
        }).ToArray();
    }
}
