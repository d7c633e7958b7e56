using Mail.Frontends.Tests.Smtp;

namespace Mail.Frontends.Tests.Imap;

/// <summary>
/// \Recent for IMAP4rev1 sessions (RFC 3501 §2.3.2): a message is recent in exactly one session, the first read-write
/// session to see it; RECENT on SELECT, EXAMINE (which only looks) and NOOP, in STATUS; SEARCH RECENT, NEW and OLD; COPY,
/// MOVE and APPEND targets get it; IMAP4rev2 sessions never see it (RFC 9051 Appendix E).
/// </summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapRecentTranscriptTests(ImapHostFixture host)
{
    private static string Select(string tag, string verb, int exists, int recent, bool unseen = true, bool closed = false) => $"""
        C: {tag} {verb} INBOX
        {(closed ? "S: * OK [CLOSED] Previous mailbox closed" : "")}
        S: * FLAGS*
        S: * {exists} EXISTS
        S: * {recent} RECENT
        {(unseen ? "S: * OK [UNSEEN 1]*" : "")}
        S: * OK [UIDVALIDITY *
        S: * OK [UIDNEXT *
        S: * OK [PERMANENTFLAGS*
        S: * OK [HIGHESTMODSEQ *
        S: * OK [MAILBOXID (*
        S: {tag} OK [{(verb == "SELECT" ? "READ-WRITE" : "READ-ONLY")}] {verb} completed
        """;

    [Fact]
    public async Task ExamineOnlyLooksSelectClaimsAndStatusCountsWhatIsLeft()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await ImapTestMail.DeliverAsync(host, address, "first");
        await ImapTestMail.DeliverAsync(host, address, "second");
        await using var first = await ImapTestMail.LoginAsync(host, address);
        await using var second = await ImapTestMail.LoginAsync(host, address);
        await first.RunAsync(Select("e1", "EXAMINE", 2, 2) + """

            C: f1 FETCH 1 (FLAGS)
            S: * 1 FETCH (FLAGS (\Recent))
            S: f1 OK FETCH completed
            """);
        await second.RunAsync("""
            C: t1 STATUS INBOX (MESSAGES RECENT UNSEEN)
            S: * STATUS INBOX (MESSAGES 2 RECENT 2 UNSEEN 2)
            S: t1 OK STATUS completed
            """);
        await first.RunAsync(Select("s1", "SELECT", 2, 2, closed: true));
        await second.RunAsync(Select("s2", "SELECT", 2, 0) + """

            C: f2 FETCH 1:2 (FLAGS)
            S: * 1 FETCH (FLAGS ())
            S: * 2 FETCH (FLAGS ())
            S: f2 OK FETCH completed
            C: r1 SEARCH RECENT
            S: * SEARCH
            S: r1 OK SEARCH completed
            C: r2 SEARCH OLD
            S: * SEARCH 1 2
            S: r2 OK SEARCH completed
            C: t2 STATUS INBOX (RECENT)
            S: * STATUS INBOX (RECENT 0)
            S: t2 OK STATUS completed
            """);
        await first.RunAsync("""
            C: r3 SEARCH RECENT
            S: * SEARCH 1 2
            S: r3 OK SEARCH completed
            C: w1 STORE 1 +FLAGS.SILENT (\Seen)
            S: w1 OK STORE completed
            C: r4 SEARCH NEW
            S: * SEARCH 2
            S: r4 OK SEARCH completed
            C: r5 SEARCH OLD
            S: * SEARCH
            S: r5 OK SEARCH completed
            C: r6 SEARCH NOT NEW
            S: * SEARCH 1
            S: r6 OK SEARCH completed
            """);
    }

    [Fact]
    public async Task ANewMessageIsRecentInTheFirstSessionThatSeesItOnly()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var first = await ImapTestMail.LoginAsync(host, address);
        await using var second = await ImapTestMail.LoginAsync(host, address);
        await first.RunAsync(Select("s1", "SELECT", 0, 0, unseen: false));
        await second.RunAsync(Select("s2", "SELECT", 0, 0, unseen: false));
        await ImapTestMail.DeliverAsync(host, address, "news");
        await first.RunAsync("""
            C: n1 NOOP
            S: * 1 EXISTS
            S: * 1 RECENT
            S: n1 OK NOOP completed
            """);
        await second.RunAsync("""
            C: n2 NOOP
            S: * 1 EXISTS
            S: * 0 RECENT
            S: n2 OK NOOP completed
            C: f1 FETCH 1 (FLAGS)
            S: * 1 FETCH (FLAGS ())
            S: f1 OK FETCH completed
            """);
        await first.RunAsync("""
            C: f2 FETCH 1 (FLAGS)
            S: * 1 FETCH (FLAGS (\Recent))
            S: f2 OK FETCH completed
            C: e1 EXPUNGE
            S: e1 OK EXPUNGE completed
            C: w1 STORE 1 +FLAGS.SILENT (\Deleted)
            S: w1 OK STORE completed
            C: e2 EXPUNGE
            S: * 1 EXPUNGE
            S: e2 OK EXPUNGE completed
            """);
        await ImapTestMail.DeliverAsync(host, address, "later");
        // The expunged recent message no longer counts.
        await first.RunAsync("""
            C: n3 NOOP
            S: * 1 EXISTS
            S: * 1 RECENT
            S: n3 OK NOOP completed
            """);
    }

    [Fact]
    public async Task CopyMoveAndAppendTargetsGetRecentMessages()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var mover = await ImapTestMail.LoginAsync(host, address);
        await using var watcher = await ImapTestMail.LoginAsync(host, address);
        await mover.RunAsync("""
            C: c1 CREATE Kept
            S: c1 OK [MAILBOXID (*
            """);
        await ImapMessages.AppendAsync(mover, "INBOX", "(\\Seen) ", ImapMessages.Simple("One"), 1);
        await ImapMessages.AppendAsync(mover, "INBOX", "(\\Seen) ", ImapMessages.Simple("Two"), 2);
        await watcher.RunAsync("""
            C: s1 SELECT Kept
            S: * FLAGS*
            S: * 0 EXISTS
            S: * 0 RECENT
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 1] Predicted next UID
            S: * OK [PERMANENTFLAGS*
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: s1 OK [READ-WRITE] SELECT completed
            """);
        await mover.RunAsync(Select("s2", "SELECT", 2, 2, unseen: false) + """

            C: p1 COPY 1 Kept
            S: p1 OK [COPYUID *
            """);
        await watcher.RunAsync("""
            C: n1 NOOP
            S: * 1 EXISTS
            S: * 1 RECENT
            S: n1 OK NOOP completed
            """);
        await mover.RunAsync("""
            C: m1 MOVE 2 Kept
            S: * OK [COPYUID *
            S: * 2 EXPUNGE
            S: m1 OK MOVE completed
            """);
        await mover.RunAsync(ImapMessages.AppendScript("ap", "Kept", "(\\Seen) ", ImapMessages.Simple("Three")));
        await mover.ExpectLineStartsWithAsync("ap OK [APPENDUID ");
        await watcher.RunAsync("""
            C: n2 NOOP
            S: * 3 EXISTS
            S: * 3 RECENT
            S: n2 OK NOOP completed
            C: r1 SEARCH RECENT
            S: * SEARCH 1 2 3
            S: r1 OK SEARCH completed
            C: f1 FETCH 1:3 (FLAGS)
            S: * 1 FETCH (FLAGS (\Recent \Seen))
            S: * 2 FETCH (FLAGS (\Recent \Seen))
            S: * 3 FETCH (FLAGS (\Recent \Seen))
            S: f1 OK FETCH completed
            """);
    }

    [Fact]
    public async Task Imap4rev2SessionsHaveNoRecent()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await ImapTestMail.DeliverAsync(host, address, "first");
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        await imap.RunAsync("""
            C: e1 ENABLE IMAP4rev2
            S: * ENABLED IMAP4rev2
            S: e1 OK ENABLE completed
            C: s1 SELECT INBOX
            S: * FLAGS*
            S: * 1 EXISTS
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 2] Predicted next UID
            S: * OK [PERMANENTFLAGS*
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: * LIST () "/" INBOX
            S: s1 OK [READ-WRITE] SELECT completed
            C: f1 FETCH 1 (FLAGS)
            S: * 1 FETCH (FLAGS ())
            S: f1 OK FETCH completed
            """);
        await using var rev1 = await ImapTestMail.LoginAsync(host, address);
        // The IMAP4rev2 session claimed nothing: the message is still recent for an IMAP4rev1 session.
        await rev1.RunAsync(Select("s2", "SELECT", 1, 1));
    }

    [Fact]
    public async Task EveryMessageIsRecentInExactlyOneOfManyConcurrentSessions()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        var sessions = new List<SmtpTranscript>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var imap = await ImapTestMail.LoginAsync(host, address);
                sessions.Add(imap);
                await imap.CommandAsync("s SELECT INBOX");
                await ReadRecentUntilAsync(imap, "s OK ");
            }
            const int messages = 12;
            var deliveries = Enumerable.Range(0, messages).Select(i => ImapTestMail.DeliverAsync(host, address, "m" + i));
            var polls = sessions.Select(async imap =>
            {
                var last = 0;
                for (var round = 0; round < 6; round++)
                {
                    await imap.CommandAsync("n NOOP");
                    last = await ReadRecentUntilAsync(imap, "n OK ") ?? last;
                    await Task.Delay(20);
                }
                return last;
            }).ToList();
            await Task.WhenAll(deliveries);
            await Task.WhenAll(polls);
            var total = 0;
            foreach (var imap in sessions)
            {
                await imap.CommandAsync("f NOOP");
                var recent = await ReadRecentUntilAsync(imap, "f OK ");
                await imap.CommandAsync("r SEARCH RECENT");
                var line = await imap.ExpectLineStartsWithAsync("* SEARCH");
                await imap.ExpectLineStartsWithAsync("r OK ");
                var count = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length - 2;
                if (recent is { } announced) Assert.Equal(announced, count);
                total += count;
            }
            Assert.Equal(messages, total);
        }
        finally
        {
            foreach (var imap in sessions) await imap.DisposeAsync();
        }
    }

    /// <summary>Reads responses up to the tagged line starting with <paramref name="done"/>; the last RECENT count seen, if any.</summary>
    private static async Task<int?> ReadRecentUntilAsync(SmtpTranscript imap, string done)
    {
        int? recent = null;
        while (true)
        {
            var line = await imap.ReadLineAsync() ?? throw new Xunit.Sdk.XunitException("The server closed the connection.");
            if (line.StartsWith(done, StringComparison.Ordinal)) return recent;
            var parts = line.TrimEnd().Split(' ');
            if (parts is ["*", var n, "RECENT"]) recent = int.Parse(n);
        }
    }
}
