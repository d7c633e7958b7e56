using System.Globalization;
using System.Text.RegularExpressions;
using Mail.Frontends.Tests.Smtp;
using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Mime;
using Mail.Storage.Blobs;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Mail.Frontends.Tests.Imap;

/// <summary>
/// The selected session's view of a mailbox (the grain's folder map, followed through the change log): sequence numbers
/// under another session's appends and expunges (RFC 3501 §7.4.1, RFC 9051 §7.5.1), and commands that walk a folder
/// larger than one page.
/// </summary>
[Collection(ImapHostCollection.Name)]
public sealed partial class ImapSelectedViewTests(ImapHostFixture host)
{
    private static string Select(int exists, int recent = 0) => $"""
        S: * FLAGS*
        S: * {exists} EXISTS
        S: * {recent} RECENT
        S: * OK [UIDVALIDITY *
        S: * OK [UIDNEXT *
        S: * OK [PERMANENTFLAGS*
        S: * OK [HIGHESTMODSEQ *
        S: * OK [MAILBOXID (*
        S: s1 OK [READ-WRITE] SELECT completed
        """;

    [Fact]
    public async Task SequenceNumbersFollowAnotherSessionsExpungesOnlyWhenAnnounced()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var first = await ImapTestMail.LoginAsync(host, address);
        await using var second = await ImapTestMail.LoginAsync(host, address);
        for (var uid = 1; uid <= 6; uid++) await ImapMessages.AppendAsync(first, "INBOX", "(\\Seen) ", ImapMessages.Simple($"M{uid}"), uid);
        // The first read-write SELECT claims the six new messages: they are \Recent there only (RFC 3501 §2.3.2).
        await first.RunAsync("C: s1 SELECT INBOX\n" + Select(6, recent: 6));
        await second.RunAsync("C: s1 SELECT INBOX\n" + Select(6) + """

            C: x1 STORE 2,4 +FLAGS.SILENT (\Deleted)
            S: x1 OK STORE completed
            C: x2 EXPUNGE
            S: * 2 EXPUNGE
            S: * 3 EXPUNGE
            S: x2 OK EXPUNGE completed
            """);
        await second.RunAsync(ImapMessages.AppendScript("ap", "INBOX", "(\\Seen) ", ImapMessages.Simple("M7")) + "S: * 5 EXISTS\nS: * 1 RECENT");
        Assert.EndsWith(" 7] APPEND completed", await second.ExpectLineStartsWithAsync("ap OK [APPENDUID "));

        // Until the first session is told, UIDs 2 and 4 keep their numbers; their flags are gone, so FETCH skips them,
        // and neither EXPUNGE nor the EXISTS that comes after them in the log may be sent during FETCH.
        await first.RunAsync("""
            C: f1 FETCH 1:* (UID FLAGS)
            S: * 1 FETCH (UID 1 FLAGS (\Recent \Seen))
            S: * 3 FETCH (UID 3 FLAGS (\Recent \Seen))
            S: * 5 FETCH (UID 5 FLAGS (\Recent \Seen))
            S: * 6 FETCH (UID 6 FLAGS (\Recent \Seen))
            S: f1 OK FETCH completed
            C: f2 FETCH 2,4 (UID)
            S: * 2 FETCH (UID 2)
            S: * 4 FETCH (UID 4)
            S: f2 OK FETCH completed
            C: f3 SEARCH ALL
            S: * SEARCH 1 2 3 4 5 6
            S: f3 OK SEARCH completed
            C: n1 NOOP
            S: * 2 EXPUNGE
            S: * 3 EXPUNGE
            S: * 5 EXISTS
            S: * 4 RECENT
            S: n1 OK NOOP completed
            C: f4 FETCH 1:* (UID)
            S: * 1 FETCH (UID 1)
            S: * 2 FETCH (UID 3)
            S: * 3 FETCH (UID 5)
            S: * 4 FETCH (UID 6)
            S: * 5 FETCH (UID 7)
            S: f4 OK FETCH completed
            C: f5 UID FETCH 4:* (UID)
            S: * 3 FETCH (UID 5)
            S: * 4 FETCH (UID 6)
            S: * 5 FETCH (UID 7)
            S: f5 OK FETCH completed
            C: f6 FETCH 6 (UID)
            S: f6 BAD Invalid message sequence number
            """);
    }

    [Fact]
    public async Task AViewStaysRightWhileAnotherSessionAppendsAndExpunges()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var watcher = await ImapTestMail.LoginAsync(host, address);
        using var writer = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await writer.ConnectAsync("127.0.0.1", host.ImapTlsPort, SecureSocketOptions.SslOnConnect);
        await writer.AuthenticateAsync(address, ImapTestMail.Password);
        for (var i = 0; i < 10; i++) await writer.Inbox.AppendAsync(Message($"seed {i}"));

        var view = new ClientView(watcher);
        await view.RunAsync("s1 SELECT INBOX");
        Assert.Equal(10, view.Count);
        await view.CheckAsync();

        using var stop = new CancellationTokenSource();
        var random = new Random(7);
        var writes = Task.Run(async () =>
        {
            await writer.Inbox.OpenAsync(FolderAccess.ReadWrite, stop.Token);
            for (var round = 0; !stop.IsCancellationRequested; round++)
            {
                for (var k = 0; k <= round % 3; k++) await writer.Inbox.AppendAsync(Message($"round {round}.{k}"));
                var uids = await writer.Inbox.SearchAsync(MailKit.Search.SearchQuery.All);
                if (uids.Count > 4)
                {
                    var doomed = uids.Where((_, n) => (n + round) % 3 == 0).Take(3).ToList();
                    await writer.Inbox.AddFlagsAsync(doomed, MailKit.MessageFlags.Deleted, silent: true);
                    await writer.Inbox.ExpungeAsync();
                }
            }
        });
        try
        {
            for (var step = 0; step < 60; step++)
            {
                var command = random.Next(5) switch
                {
                    0 => "NOOP",
                    1 => "FETCH 1:* (UID FLAGS)",
                    2 => "SEARCH ALL",
                    3 => view.Count == 0 ? "NOOP" : $"STORE {random.Next(1, view.Count + 1)} +FLAGS (\\Flagged)",
                    _ => "UID FETCH 1:* (FLAGS)",
                };
                await view.RunAsync($"c{step} {command}");
                if (step % 10 == 9) await view.CheckAsync();
            }
        }
        finally
        {
            await stop.CancelAsync();
            await writes;
        }

        await view.RunAsync("z1 NOOP");
        await view.CheckAsync();
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var route = await grains.GetGrain<IAddressGrain>(address).ResolveAsync();
        var truth = (await grains.GetGrain<IMailboxGrain>(route!.AccountId).OpenFolderAsync(SpecialFolders.Inbox)).Map;
        Assert.Equal(Enumerable.Range(0, truth.Count).Select(truth.UidAt), view.Uids.Select(u => u!.Value));
        Assert.True(view.Expunges > 0 && view.Grew, $"the run saw {view.Expunges} expunges");
        await writer.DisconnectAsync(true);
    }

    [Fact]
    public async Task FetchSearchStoreAndExpungeWalkAFolderOfManyPages()
    {
        const int Count = 700;
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await DeliverManyAsync(address, Count);
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        await imap.RunAsync("C: s1 SELECT INBOX\n" + Select(Count, recent: Count).Replace($"S: * {Count} RECENT", $"S: * {Count} RECENT\nS: * OK [UNSEEN 1] First unseen"));

        await imap.CommandAsync("e1 FETCH 1:* (UID ENVELOPE)");
        for (var n = 1; n <= Count; n++)
        {
            var line = await imap.ExpectLineStartsWithAsync($"* {n} FETCH (UID {n} ENVELOPE (");
            Assert.Contains($"\"bulk {n}\"", line);
        }
        await imap.RunAsync("""
            S: e1 OK FETCH completed
            C: t1 STORE 2:* +FLAGS.SILENT (\Seen)
            S: t1 OK STORE completed
            C: t2 UID STORE 1:350 +FLAGS.SILENT (\Deleted)
            S: t2 OK STORE completed
            C: q1 UID SEARCH UNSEEN
            S: * SEARCH 1
            S: q1 OK SEARCH completed
            C: q2 SEARCH DELETED SEEN
            """);
        var search = await imap.ExpectLineStartsWithAsync("* SEARCH ");
        Assert.Equal(Enumerable.Range(2, 349), search["* SEARCH ".Length..].Split(' ').Select(int.Parse));
        await imap.RunAsync("""
            S: q2 OK SEARCH completed
            C: x1 EXPUNGE
            """);
        // Each removal of the lowest message is announced as number 1 (RFC 9051 §7.5.1: later numbers shift down).
        for (var n = 0; n < 350; n++) await imap.ExpectAsync("* 1 EXPUNGE");
        await imap.RunAsync($$"""
            S: x1 OK EXPUNGE completed
            C: f1 FETCH 1,* (UID FLAGS)
            S: * 1 FETCH (UID 351 FLAGS (\Recent \Seen))
            S: * {{Count - 350}} FETCH (UID {{Count}} FLAGS (\Recent \Seen))
            S: f1 OK FETCH completed
            C: f2 STATUS INBOX (MESSAGES UNSEEN)
            S: * STATUS INBOX (MESSAGES {{Count - 350}} UNSEEN 0)
            S: f2 OK STATUS completed
            """);
    }

    /// <summary>Files <paramref name="count"/> small messages "bulk 1".."bulk n" through the mailbox grain (one stored blob each, no SMTP).</summary>
    private async Task DeliverManyAsync(string address, int count)
    {
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var blobs = host.Services.GetRequiredService<IBlobStore>();
        var route = await grains.GetGrain<IAddressGrain>(address).ResolveAsync() ?? throw new InvalidOperationException(address);
        var mailbox = grains.GetGrain<IMailboxGrain>(route.AccountId);
        for (var n = 1; n <= count; n++)
        {
            var message = Message($"bulk {n}");
            using var bytes = new MemoryStream();
            await message.WriteToAsync(bytes);
            bytes.Position = 0;
            var blob = await blobs.PutAsync(route.TenantId, bytes, CancellationToken.None);
            await mailbox.DeliverAsync(new MessageDelivery($"bulk-{Guid.NewGuid():N}", SpecialFolders.Inbox,
                new StoredBlob(route.TenantId, blob.Name, blob.Length), MessageSummaryReader.Read(message), [], [], DateTimeOffset.UtcNow));
        }
    }

    private static MimeMessage Message(string subject) => new(
        [new MailboxAddress("Alice", "alice@example.test")], [new MailboxAddress("Bob", "bob@example.test")], subject,
        new TextPart("plain") { Text = "Hi." });

    /// <summary>
    /// What a client knows of the selected mailbox, kept only from the server's untagged responses (EXISTS adds unknown
    /// messages, EXPUNGE removes by number, FETCH names UIDs), as RFC 9051 §7.5 says a client must; every response is
    /// checked against it, so a number the server sends out of turn fails the test.
    /// </summary>
    private sealed partial class ClientView(SmtpTranscript imap)
    {
        public List<long?> Uids { get; } = [];

        public int Count => Uids.Count;

        public int Expunges { get; private set; }

        public bool Grew { get; private set; }

        /// <summary>Runs a tagged command and applies its untagged responses; it must end OK.</summary>
        public async Task RunAsync(string command)
        {
            var tag = command[..command.IndexOf(' ')];
            await imap.CommandAsync(command);
            while (true)
            {
                var line = await NextLineAsync();
                if (line.StartsWith(tag + " ", StringComparison.Ordinal))
                {
                    Assert.StartsWith(tag + " OK", line);
                    return;
                }
                Apply(line);
            }
        }

        /// <summary>
        /// Compares the view with a FETCH of every UID, which must name each message the client knew of at the number the
        /// view has (EXISTS may follow the FETCH responses; those messages are checked next time).
        /// </summary>
        public async Task CheckAsync()
        {
            var known = Count;
            var seen = 0;
            await imap.CommandAsync("k FETCH 1:* (UID)");
            while (true)
            {
                var line = await NextLineAsync();
                if (line.StartsWith("k ", StringComparison.Ordinal))
                {
                    Assert.True(line.StartsWith("k OK", StringComparison.Ordinal) || known == 0 && line.StartsWith("k BAD", StringComparison.Ordinal), line);
                    break;
                }
                if (UidOnly().IsMatch(line)) seen++;
                Apply(line);
            }
            Assert.Equal(known, seen);
            var checkedUids = Uids.Take(known).ToList();
            Assert.All(checkedUids, uid => Assert.NotNull(uid));
            Assert.Equal(checkedUids.Order(), checkedUids);
        }

        private async Task<string> NextLineAsync() =>
            (await imap.ReadLineAsync() ?? throw new InvalidOperationException("connection closed")).TrimEnd('\r', '\n');

        private void Apply(string line)
        {
            if (ExistsLine().Match(line) is { Success: true } exists)
            {
                var count = int.Parse(exists.Groups[1].Value, CultureInfo.InvariantCulture);
                Assert.True(count >= Count, $"EXISTS {count} below the {Count} messages the client knows");
                while (Uids.Count < count) Uids.Add(null);
                Grew |= count > 10;
            }
            else if (ExpungeLine().Match(line) is { Success: true } expunge)
            {
                var number = int.Parse(expunge.Groups[1].Value, CultureInfo.InvariantCulture);
                Assert.InRange(number, 1, Count);
                Uids.RemoveAt(number - 1);
                Expunges++;
            }
            else if (FetchUid().Match(line) is { Success: true } fetch)
            {
                var number = int.Parse(fetch.Groups[1].Value, CultureInfo.InvariantCulture);
                var uid = long.Parse(fetch.Groups[2].Value, CultureInfo.InvariantCulture);
                Assert.InRange(number, 1, Count);
                Assert.True(Uids[number - 1] is null || Uids[number - 1] == uid, $"message {number} was UID {Uids[number - 1]}, now {line}");
                Uids[number - 1] = uid;
            }
            else if (line.StartsWith("* SEARCH", StringComparison.Ordinal))
            {
                foreach (var n in line[8..].Split(' ', StringSplitOptions.RemoveEmptyEntries)) Assert.InRange(int.Parse(n, CultureInfo.InvariantCulture), 1, Count);
            }
        }

        [GeneratedRegex(@"^\* (\d+) EXISTS$")]
        private static partial Regex ExistsLine();

        [GeneratedRegex(@"^\* (\d+) EXPUNGE$")]
        private static partial Regex ExpungeLine();

        [GeneratedRegex(@"^\* (\d+) FETCH \(.*UID (\d+)")]
        private static partial Regex FetchUid();

        [GeneratedRegex(@"^\* \d+ FETCH \(UID \d+\)$")]
        private static partial Regex UidOnly();
    }
}
