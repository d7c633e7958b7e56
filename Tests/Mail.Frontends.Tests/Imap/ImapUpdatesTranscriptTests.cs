using Mail.Frontends.Tests.Smtp;

namespace Mail.Frontends.Tests.Imap;

/// <summary>Unsolicited EXISTS, FETCH and EXPUNGE from other sessions, IDLE, APPEND limits and CONDSTORE/QRESYNC as transcripts.</summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapUpdatesTranscriptTests(ImapHostFixture host)
{
    private static string SelectInbox(int exists, int recent = 0) => $"""
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
    public async Task ChangesFromAnotherSessionArriveOnNoopButNoExpungeDuringFetch()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var first = await ImapTestMail.LoginAsync(host, address);
        await using var second = await ImapTestMail.LoginAsync(host, address);
        await ImapMessages.AppendAsync(first, "INBOX", "(\\Seen) ", ImapMessages.Simple("One"), 1);
        await ImapMessages.AppendAsync(first, "INBOX", "(\\Seen) ", ImapMessages.Simple("Two"), 2);
        // The first session to select claims the two messages as \Recent, the second claims the one it appends.
        await first.RunAsync("C: s1 SELECT INBOX\n" + SelectInbox(2, recent: 2));
        await second.RunAsync("C: s1 SELECT INBOX\n" + SelectInbox(2));
        await second.RunAsync(ImapMessages.AppendScript("ap", "INBOX", "", ImapMessages.Simple("Three")) + "S: * 3 EXISTS\nS: * 1 RECENT");
        Assert.EndsWith(" 3] APPEND completed", await second.ExpectLineStartsWithAsync("ap OK [APPENDUID "));
        await second.RunAsync("""
            C: x1 STORE 2 +FLAGS.SILENT (\Flagged)
            S: x1 OK STORE completed
            C: x2 STORE 1 +FLAGS.SILENT (\Deleted)
            S: x2 OK STORE completed
            C: x3 EXPUNGE
            S: * 1 EXPUNGE
            S: x3 OK EXPUNGE completed
            """);
        await first.RunAsync("""
            C: n1 FETCH 1:* (UID)
            S: * 1 FETCH (UID 1)
            S: * 2 FETCH (UID 2)
            S: * 3 EXISTS
            S: * 2 RECENT
            S: * 2 FETCH (UID 2 FLAGS (\Recent \Seen \Flagged))
            S: n1 OK FETCH completed
            C: n2 NOOP
            S: * 1 EXPUNGE
            S: n2 OK NOOP completed
            C: n3 FETCH 1:* (UID)
            S: * 1 FETCH (UID 2)
            S: * 2 FETCH (UID 3)
            S: n3 OK FETCH completed
            """);
    }

    [Fact]
    public async Task IdleReportsADeliveryAndEndsWithDone()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        await imap.RunAsync("C: s1 SELECT INBOX\n" + SelectInbox(0) + """

            C: i1 IDLE
            S: + idling
            """);
        await ImapTestMail.DeliverAsync(host, address, "idle test");
        await imap.RunAsync("""
            S: * 1 EXISTS
            S: * 1 RECENT
            C: DONE
            S: i1 OK IDLE terminated
            """);
    }

    [Fact]
    public async Task CondstoreAndQresyncReportModseqsVanishedAndChangedMessages()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        for (var uid = 1; uid <= 3; uid++) await ImapMessages.AppendAsync(imap, "INBOX", "(\\Seen) ", ImapMessages.Simple($"M{uid}"), uid);
        await imap.RunAsync("C: s1 SELECT INBOX (CONDSTORE)\n" + SelectInbox(3, recent: 3));
        await imap.CommandAsync("m1 FETCH 3 (MODSEQ)");
        var line = await imap.ExpectLineStartsWithAsync("* 3 FETCH (MODSEQ (");
        var modseq = long.Parse(line["* 3 FETCH (MODSEQ (".Length..^2], System.Globalization.CultureInfo.InvariantCulture);
        await imap.RunAsync($$"""
            S: m1 OK FETCH completed
            C: m2 STORE 2 +FLAGS.SILENT (\Answered)
            S: * 2 FETCH (UID 2 MODSEQ ({{modseq + 1}}))
            S: m2 OK STORE completed
            C: m3 STORE 1 +FLAGS.SILENT (\Deleted)
            S: * 1 FETCH (UID 1 MODSEQ ({{modseq + 2}}))
            S: m3 OK STORE completed
            C: m4 EXPUNGE
            S: * 1 EXPUNGE
            S: m4 OK EXPUNGE completed
            C: m5 UID FETCH 1:* (FLAGS) (CHANGEDSINCE {{modseq}})
            S: * 1 FETCH (UID 2 FLAGS (\Recent \Seen \Answered) MODSEQ ({{modseq + 1}}))
            S: m5 OK FETCH completed
            C: m6 SEARCH MODSEQ {{modseq + 1}}
            S: * SEARCH 1 (MODSEQ {{modseq + 1}})
            S: m6 OK SEARCH completed
            C: m7 UID FETCH 1:* (FLAGS) (CHANGEDSINCE {{modseq}} VANISHED)
            S: m7 BAD VANISHED needs UID FETCH and QRESYNC
            C: e1 ENABLE QRESYNC
            S: * ENABLED QRESYNC
            S: e1 OK ENABLE completed
            C: m8 UID FETCH 1:* (FLAGS) (CHANGEDSINCE {{modseq}} VANISHED)
            S: * VANISHED (EARLIER) 1
            S: * 1 FETCH (UID 2 FLAGS (\Recent \Seen \Answered) MODSEQ ({{modseq + 1}}))
            S: m8 OK FETCH completed
            C: m9 UNSELECT
            S: m9 OK UNSELECT completed
            """);
        await imap.CommandAsync("v1 STATUS INBOX (UIDVALIDITY)");
        var status = await imap.ExpectLineStartsWithAsync("* STATUS INBOX (UIDVALIDITY ");
        var validity = status["* STATUS INBOX (UIDVALIDITY ".Length..^1];
        await imap.RunAsync($$"""
            S: v1 OK STATUS completed
            C: q1 SELECT INBOX (QRESYNC ({{validity}} {{modseq}} 1:3))
            S: * FLAGS*
            S: * 2 EXISTS
            S: * 0 RECENT
            S: * OK [UIDVALIDITY {{validity}}] UIDs valid
            S: * OK [UIDNEXT 4] Predicted next UID
            S: * OK [PERMANENTFLAGS*
            S: * OK [HIGHESTMODSEQ {{modseq + 3}}] Highest
            S: * OK [MAILBOXID (*
            S: * VANISHED (EARLIER) 1
            S: * 1 FETCH (UID 2 FLAGS (\Seen \Answered) MODSEQ ({{modseq + 1}}))
            S: q1 OK [READ-WRITE] SELECT completed
            C: q2 STORE 2 +FLAGS.SILENT (\Deleted)
            S: * 2 FETCH (UID 3 MODSEQ ({{modseq + 4}}))
            S: q2 OK STORE completed
            C: q3 EXPUNGE
            S: * VANISHED 3
            S: q3 OK EXPUNGE completed
            """);
    }

    [Fact]
    public async Task AppendToAMissingMailboxAsksToCreateItAndAnOversizedLiteralIsTooBig()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        await imap.RunAsync("""
            C: a1 APPEND Nowhere {5+}
            C: Hello
            S: a1 NO [TRYCREATE] Mailbox Nowhere does not exist
            C: a2 APPEND INBOX {30000000}
            S: a2 NO [TOOBIG] Literal of 30000000 octets is larger than 25000000
            C: a3 APPEND INBOX (\Bogus) {5+}
            C: Hello
            S: a3 BAD \Bogus is not a system flag
            C: a4 NOOP
            S: a4 OK NOOP completed
            """);
    }
}
