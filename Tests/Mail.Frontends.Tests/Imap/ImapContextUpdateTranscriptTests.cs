using Mail.Frontends.Tests.Smtp;

namespace Mail.Frontends.Tests.Imap;

/// <summary>
/// CONTEXT=SEARCH and CONTEXT=SORT (RFC 5267 §4): SEARCH/SORT RETURN (UPDATE) kept current with ESEARCH ADDTO and
/// REMOVEFROM as this or another session changes the selected mailbox, CANCELUPDATE, and PARTIAL windows.
/// </summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapContextUpdateTranscriptTests(ImapHostFixture host)
{
    /// <summary>Appends from a session of its own (one with the mailbox selected would see its own EXISTS first).</summary>
    private static async Task AppendAsync(MailHostFixture host, string address, string subject, long uid)
    {
        await using var appender = await ImapTestMail.LoginAsync(host, address);
        await ImapMessages.AppendAsync(appender, "INBOX", "", ImapMessages.Simple(subject), uid);
    }

    /// <summary>A NOOP whose answer (the other session's unsolicited updates) is read through its tagged OK and not checked.</summary>
    private static async Task CatchUpAsync(SmtpTranscript imap)
    {
        await imap.CommandAsync("cu NOOP");
        while (!(await imap.ExpectLineStartsWithAsync("")).StartsWith("cu OK", StringComparison.Ordinal))
        {
        }
    }

    private static async Task<(SmtpTranscript Watcher, SmtpTranscript Other, HttpClient Api, string Address)> TwoSessionsAsync(MailHostFixture host,
        params string[] subjects)
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        var other = await ImapTestMail.LoginAsync(host, address);
        for (var i = 0; i < subjects.Length; i++) await ImapMessages.AppendAsync(other, "INBOX", "", ImapMessages.Simple(subjects[i]), i + 1);
        var watcher = await ImapNotifyTranscriptTests.SelectedRev2Async(host, address);
        await other.CommandAsync("o0 SELECT INBOX");
        while (!(await other.ExpectLineStartsWithAsync("")).StartsWith("o0 OK", StringComparison.Ordinal))
        {
        }
        await watcher.CommandAsync("c0 CAPABILITY");
        var capabilities = await watcher.ExpectLineStartsWithAsync("* CAPABILITY ") + " ";
        foreach (var capability in new[] { " CONTEXT=SEARCH ", " CONTEXT=SORT ", " ESORT " }) Assert.Contains(capability, capabilities);
        await watcher.ExpectLineStartsWithAsync("c0 OK");
        return (watcher, other, api, address);
    }

    [Fact]
    public async Task AnUpdatingSearchFollowsAnotherSessionUntilCancelled()
    {
        var (watcher, other, api, address) = await TwoSessionsAsync(host, "One", "Two", "Three");
        await using var _ = watcher;
        await using var __ = other;
        using var ___ = api;
        await watcher.RunAsync("""
            C: u1 SEARCH RETURN (UPDATE COUNT) UNSEEN
            S: * ESEARCH (TAG "u1") COUNT 3
            S: u1 OK SEARCH completed
            """);
        await other.RunAsync("""
            C: o1 STORE 2 +FLAGS.SILENT (\Seen)
            S: o1 OK STORE completed
            """);
        await watcher.RunAsync("""
            C: n1 NOOP
            S: * 2 FETCH (UID 2 FLAGS (\Seen))
            S: * ESEARCH (TAG "u1") REMOVEFROM (0 2)
            S: n1 OK NOOP completed
            """);
        await AppendAsync(host, address, "Four", 4);
        // ADDTO after EXISTS: the client must know the message before it is added.
        await watcher.RunAsync("""
            C: n2 NOOP
            S: * 4 EXISTS
            S: * ESEARCH (TAG "u1") ADDTO (0 4)
            S: n2 OK NOOP completed
            """);
        await CatchUpAsync(other);
        await other.RunAsync("""
            C: o2 STORE 1 +FLAGS.SILENT (\Deleted)
            S: o2 OK STORE completed
            C: o3 EXPUNGE
            S: * 1 EXPUNGE
            S: o3 OK EXPUNGE completed
            """);
        // REMOVEFROM before EXPUNGE, while sequence number 1 still names the message (RFC 5267 §4.3).
        await watcher.RunAsync("""
            C: n3 NOOP
            S: * ESEARCH (TAG "u1") REMOVEFROM (0 1)
            S: * 1 EXPUNGE
            S: n3 OK NOOP completed
            C: c1 CANCELUPDATE "u1"
            S: c1 OK Updates cancelled
            C: c2 CANCELUPDATE "u1"
            S: c2 BAD Unknown tag: no updating search has it
            """);
        await other.RunAsync("""
            C: o4 STORE 1 -FLAGS.SILENT (\Seen)
            S: o4 OK STORE completed
            """);
        await watcher.RunAsync("""
            C: n4 NOOP
            S: * 1 FETCH (UID 2 FLAGS ())
            S: n4 OK NOOP completed
            """);
    }

    [Fact]
    public async Task TheSessionsOwnStoreUpdatesAUidSearchAndATagInUseIsRefused()
    {
        var (watcher, other, api, address) = await TwoSessionsAsync(host, "One", "Two", "Three");
        await using var _ = watcher;
        await using var __ = other;
        using var ___ = api;
        await watcher.RunAsync("""
            C: u1 UID SEARCH RETURN (UPDATE ALL) SEEN
            S: * ESEARCH (TAG "u1") UID
            S: u1 OK SEARCH completed
            C: u1 SEARCH RETURN (UPDATE) ALL
            S: u1 BAD Tag u1 already names an updating search; CANCELUPDATE it first
            C: s1 STORE 1,3 +FLAGS (\Seen)
            S: * 1 FETCH *
            S: * 3 FETCH *
            S: * ESEARCH (TAG "u1") UID ADDTO (0 1,3)
            S: s1 OK STORE completed
            C: s2 STORE 1 -FLAGS.SILENT (\Seen)
            S: * ESEARCH (TAG "u1") UID REMOVEFROM (0 1)
            S: s2 OK STORE completed
            """);
    }

    [Fact]
    public async Task AnUpdatingSortAddsMessagesAtTheirSortPositions()
    {
        var (watcher, other, api, address) = await TwoSessionsAsync(host, "Cherry", "Apple", "Date");
        await using var _ = watcher;
        await using var __ = other;
        using var ___ = api;
        await watcher.RunAsync("""
            C: s1 UID SORT RETURN (UPDATE ALL) (SUBJECT) UTF-8 ALL
            S: * ESEARCH (TAG "s1") UID ALL 2,1,3
            S: s1 OK SORT completed
            """);
        await AppendAsync(host, address, "Banana", 4);
        await watcher.RunAsync("""
            C: n1 NOOP
            S: * 4 EXISTS
            S: * ESEARCH (TAG "s1") UID ADDTO (2 4)
            S: n1 OK NOOP completed
            """);
        await AppendAsync(host, address, "Aardvark", 5);
        await AppendAsync(host, address, "Elder", 6);
        // Sort order now 5 2 4 1 3 6: Aardvark first, Elder last.
        await watcher.RunAsync("""
            C: n2 NOOP
            S: * 6 EXISTS
            S: * ESEARCH (TAG "s1") UID ADDTO (1 5) ADDTO (6 6)
            S: n2 OK NOOP completed
            """);
        await CatchUpAsync(other);
        await other.RunAsync("""
            C: o1 UID STORE 1 +FLAGS.SILENT (\Deleted)
            S: o1 OK STORE completed
            C: o2 UID EXPUNGE 1
            S: * 1 EXPUNGE
            S: o2 OK EXPUNGE completed
            """);
        await watcher.RunAsync("""
            C: n3 NOOP
            S: * ESEARCH (TAG "s1") UID REMOVEFROM (0 1)
            S: * 1 EXPUNGE
            S: n3 OK NOOP completed
            """);
    }

    [Fact]
    public async Task APartialUpdateKeepsOnlyItsWindowCurrent()
    {
        var (watcher, other, api, address) = await TwoSessionsAsync(host, "One", "Two", "Three");
        await using var _ = watcher;
        await using var __ = other;
        using var ___ = api;
        await watcher.RunAsync("""
            C: p1 SEARCH RETURN (UPDATE PARTIAL 1:2) ALL
            S: * ESEARCH (TAG "p1") PARTIAL (1:2 1:2)
            S: p1 OK SEARCH completed
            """);
        // A message past the window changes: nothing to report for it.
        await other.RunAsync("""
            C: o1 STORE 3 +FLAGS.SILENT (\Flagged)
            S: o1 OK STORE completed
            C: o2 STORE 1 +FLAGS.SILENT (\Deleted)
            S: o2 OK STORE completed
            C: o3 EXPUNGE
            S: * 1 EXPUNGE
            S: o3 OK EXPUNGE completed
            """);
        // The first message leaves the window and the third (now number 2) slides into it.
        await watcher.RunAsync("""
            C: n1 NOOP
            S: * ESEARCH (TAG "p1") REMOVEFROM (0 1)
            S: * 1 EXPUNGE
            S: * 2 FETCH (UID 3 FLAGS (\Flagged))
            S: * ESEARCH (TAG "p1") ADDTO (0 2)
            S: n1 OK NOOP completed
            """);
    }
}
