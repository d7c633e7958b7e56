using System.Net.Http.Json;
using Mail.Frontends.Tests.Smtp;

namespace Mail.Frontends.Tests.Imap;

/// <summary>The host with NOTIFY's burst limit at 2 changes and one updating search per session, to reach both limits.</summary>
public sealed class TightNotifyImapHostFixture : MailHostFixture
{
    /// <inheritdoc />
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Mail:Imap:NotifyMaxChanges"] = "2",
        ["Mail:Imap:MaxSearchUpdates"] = "1",
        ["Mail:Imap:NotifyMaxMailboxNames"] = "2",
    };
}

/// <summary>
/// NOTIFY (RFC 5465) as transcripts over two sessions: one changes the mailbox (or SMTP or the HTTP API does), the other,
/// waiting without a command in progress, must be told at once.
/// </summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapNotifyTranscriptTests(ImapHostFixture host)
{
    /// <summary>Logs in, enables IMAP4rev2 (no \Recent to account for) and selects INBOX, reading the answer through its tagged OK.</summary>
    internal static async Task<SmtpTranscript> SelectedRev2Async(MailHostFixture host, string address)
    {
        var imap = await ImapTestMail.LoginAsync(host, address);
        await imap.RunAsync("""
            C: e1 ENABLE IMAP4rev2
            S: * ENABLED IMAP4rev2
            S: e1 OK*
            C: s1 SELECT INBOX
            """);
        while (!(await imap.ExpectLineStartsWithAsync("")).StartsWith("s1 OK", StringComparison.Ordinal))
        {
        }
        return imap;
    }

    [Fact]
    public async Task SelectedEventsArriveBetweenCommandsFromImapSmtpAndTheApi()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var watcher = await SelectedRev2Async(host, address);
        await using var other = await ImapTestMail.LoginAsync(host, address);
        await watcher.RunAsync("""
            C: c1 CAPABILITY
            S: * CAPABILITY *
            S: c1 OK*
            C: n1 NOTIFY SET (SELECTED (MessageNew (UID FLAGS BODY[HEADER.FIELDS (SUBJECT)]) MessageExpunge FlagChange))
            S: n1 OK NOTIFY completed
            """);

        // Another IMAP session appends: EXISTS and the FETCH MessageNew asked for come with no command in progress.
        await ImapMessages.AppendAsync(other, "INBOX", "", ImapMessages.Simple("First"), 1);
        await watcher.RunAsync("""
            S: * 1 EXISTS
            S: * 1 FETCH (UID 1 FLAGS () BODY[HEADER.FIELDS (SUBJECT)] {18}
            S: Subject: First
            S: 
            S: )
            """);

        // SMTP delivers.
        await ImapTestMail.DeliverAsync(host, address, "Second");
        await watcher.RunAsync("""
            S: * 2 EXISTS
            S: * 2 FETCH (UID 2 FLAGS () BODY[HEADER.FIELDS (SUBJECT)] {19}
            S: Subject: Second
            S: 
            S: )
            """);

        // The HTTP API marks the delivered message read; BODY.PEEK semantics left the first one unseen.
        var id = (await ApiUsers.ListAsync(api)).Single(m => m.GetProperty("subject").GetString() == "Second").GetProperty("id").GetString();
        (await api.PatchAsJsonAsync($"/v1/emails/{id}", new { unread = false })).EnsureSuccessStatusCode();
        await watcher.RunAsync("""
            S: * 2 FETCH (UID 2 FLAGS (\Seen))
            """);

        // The other session expunges: under SELECTED the EXPUNGE goes out at once (RFC 5465 §6).
        await other.RunAsync("""
            C: o1 SELECT INBOX
            """);
        while (!(await other.ExpectLineStartsWithAsync("")).StartsWith("o1 OK", StringComparison.Ordinal))
        {
        }
        await other.RunAsync("""
            C: o2 STORE 1 +FLAGS.SILENT (\Deleted)
            S: o2 OK STORE completed
            """);
        await watcher.RunAsync("""
            S: * 1 FETCH (UID 1 FLAGS (\Deleted))
            """);
        await other.RunAsync("""
            C: o3 EXPUNGE
            S: * 1 EXPUNGE
            S: o3 OK EXPUNGE completed
            """);
        await watcher.RunAsync("""
            S: * 1 EXPUNGE
            C: f1 FETCH 1 (UID)
            S: * 1 FETCH (UID 2)
            S: f1 OK FETCH completed
            C: n2 NOTIFY NONE
            S: n2 OK NOTIFY completed
            """);

        // NOTIFY NONE: back to reporting at the end of commands only.
        await ImapTestMail.DeliverAsync(host, address, "Third");
        await Task.Delay(500);
        await watcher.RunAsync("""
            C: n3 NOOP
            S: * 2 EXISTS
            S: n3 OK NOOP completed
            """);
    }

    [Fact]
    public async Task SelectedDelayedHoldsExpungeUntilACommandAllowsIt()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var other = await ImapTestMail.LoginAsync(host, address);
        await ImapMessages.AppendAsync(other, "INBOX", "", ImapMessages.Simple("One"), 1);
        await ImapMessages.AppendAsync(other, "INBOX", "", ImapMessages.Simple("Two"), 2);
        await using var watcher = await SelectedRev2Async(host, address);
        await watcher.RunAsync("""
            C: n1 NOTIFY SET (SELECTED-DELAYED (MessageNew MessageExpunge FlagChange))
            S: n1 OK NOTIFY completed
            """);
        await other.CommandAsync("o1 SELECT INBOX");
        while (!(await other.ExpectLineStartsWithAsync("")).StartsWith("o1 OK", StringComparison.Ordinal))
        {
        }
        await other.RunAsync("""
            C: o2 STORE 1 +FLAGS.SILENT (\Deleted)
            S: o2 OK STORE completed
            """);
        await watcher.RunAsync("""
            S: * 1 FETCH (UID 1 FLAGS (\Deleted))
            """);
        await other.RunAsync("""
            C: o3 EXPUNGE
            S: * 1 EXPUNGE
            S: o3 OK EXPUNGE completed
            """);
        await Task.Delay(700);
        // FETCH may not see an EXPUNGE (RFC 9051 §7.5.1), and under SELECTED-DELAYED none was sent between commands:
        // the client still has two messages. NOOP then brings the EXPUNGE.
        await watcher.RunAsync("""
            C: f1 FETCH 2 (UID)
            S: * 2 FETCH (UID 2)
            S: f1 OK FETCH completed
            C: n2 NOOP
            S: * 1 EXPUNGE
            S: n2 OK NOOP completed
            """);
    }

    [Fact]
    public async Task OtherMailboxesReportStatusAndMailboxChangesReportList()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var watcher = await ImapTestMail.LoginAsync(host, address);
        await using var other = await ImapTestMail.LoginAsync(host, address);
        await other.RunAsync("""
            C: o1 CREATE Lists
            S: o1 OK CREATE completed
            """);
        await watcher.RunAsync("""
            C: n1 NOTIFY SET STATUS (MAILBOXES (INBOX Lists) (MessageNew MessageExpunge)) (PERSONAL (MailboxName SubscriptionChange))
            S: * STATUS INBOX (MESSAGES 0 UIDNEXT 1 UIDVALIDITY *
            S: * STATUS Lists (MESSAGES 0 UIDNEXT 1 UIDVALIDITY *
            S: n1 OK NOTIFY completed
            """);

        // SMTP delivers to INBOX, another session appends to Lists: STATUS, with no command in progress.
        await ImapTestMail.DeliverAsync(host, address, "Delivered");
        Assert.Matches(@"^\* STATUS INBOX \(MESSAGES 1 UIDNEXT 2 UIDVALIDITY \d+ UNSEEN 1\)$", await watcher.ExpectLineStartsWithAsync("* STATUS INBOX "));
        await ImapMessages.AppendAsync(other, "Lists", "(\\Seen) ", ImapMessages.Simple("Filed"), 1);
        Assert.Matches(@"^\* STATUS Lists \(MESSAGES 1 UIDNEXT 2 UIDVALIDITY \d+ UNSEEN 0\)$", await watcher.ExpectLineStartsWithAsync("* STATUS Lists "));

        // Mailbox events from another session and from the HTTP API: LIST, with OLDNAME for a rename (RFC 5465 §5.4).
        await other.RunAsync("""
            C: o2 CREATE Projects
            S: o2 OK CREATE completed
            """);
        await watcher.RunAsync("""S: * LIST () "/" Projects""");
        await other.RunAsync("""
            C: o3 SUBSCRIBE Projects
            S: o3 OK SUBSCRIBE completed
            """);
        await watcher.RunAsync("""S: * LIST (\Subscribed) "/" Projects""");
        await other.RunAsync("""
            C: o4 UNSUBSCRIBE Projects
            S: o4 OK UNSUBSCRIBE completed
            """);
        await watcher.RunAsync("""S: * LIST () "/" Projects""");
        await other.RunAsync("""
            C: o5 RENAME Projects Work
            S: o5 OK RENAME completed
            """);
        await watcher.RunAsync("""S: * LIST () "/" Work ("OLDNAME" (Projects))""");
        (await api.PostAsJsonAsync("/v1/folders", new { name = "FromApi" })).EnsureSuccessStatusCode();
        await watcher.RunAsync("""S: * LIST () "/" FromApi""");
        await other.RunAsync("""
            C: o6 DELETE Work
            S: o6 OK DELETE completed
            """);
        await watcher.RunAsync("""S: * LIST (\NonExistent) "/" Work""");

        // A mailbox no filter names and whose message events nobody asked for: no STATUS.
        await ImapMessages.AppendAsync(other, "FromApi", "", ImapMessages.Simple("Quiet"), 1);
        await Task.Delay(500);
        await watcher.RunAsync("""
            C: x1 NOOP
            S: x1 OK NOOP completed
            """);
    }

    [Fact]
    public async Task UnsupportedEventsAndBadCombinationsAreRefused()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        await imap.CommandAsync("c1 CAPABILITY");
        Assert.Contains(" NOTIFY ", await imap.ExpectLineStartsWithAsync("* CAPABILITY ") + " ");
        await imap.RunAsync("""
            S: c1 OK*
            C: n1 NOTIFY SET (SELECTED (MessageNew))
            S: n1 BAD MessageNew and MessageExpunge go together (RFC 5465 section 5)
            C: n2 NOTIFY SET (SELECTED (MessageExpunge FlagChange))
            S: n2 BAD MessageNew and MessageExpunge go together (RFC 5465 section 5)
            C: n3 NOTIFY SET (PERSONAL (MessageNew MessageExpunge AnnotationChange))
            S: n3 NO [BADEVENT (AnnotationChange)] Unsupported NOTIFY events
            C: n4 NOTIFY SET (INBOXES (MailboxMetadataChange)) (PERSONAL (ServerMetadataChange))
            S: n4 NO [BADEVENT (MailboxMetadataChange ServerMetadataChange)] Unsupported NOTIFY events
            C: n5 NOTIFY SET (SELECTED (MessageNew (RFC822) MessageExpunge))
            S: n5 BAD RFC822 and RFC822.TEXT would set \Seen; ask for BODY.PEEK[] instead
            C: n5b NOTIFY SET (PERSONAL (MessageNew (UID) MessageExpunge))
            S: n5b BAD MessageNew takes FETCH attributes only for SELECTED and SELECTED-DELAYED
            C: n6 NOTIFY SET (NOWHERE (MessageNew))
            S: n6 BAD Unknown NOTIFY filter NOWHERE
            C: n7 NOTIFY SET (SUBTREE INBOX (MessageNew MessageExpunge)) (SUBSCRIBED NONE)
            S: n7 OK NOTIFY completed
            C: n8 NOTIFY NONE
            S: n8 OK NOTIFY completed
            """);
    }
}

/// <summary>
/// NOTIFY's limits (RFC 5465 §5.8 NOTIFICATIONOVERFLOW) and the limit on updating searches (RFC 5267 §4.3 NOUPDATE) on a
/// host that sets them low.
/// </summary>
public sealed class ImapNotifyLimitTests(TightNotifyImapHostFixture host) : IClassFixture<TightNotifyImapHostFixture>
{
    [Fact]
    public async Task ABurstBeyondTheLimitOverflowsAndEndsNotification()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var watcher = await ImapTestMail.LoginAsync(host, address);
        await using var other = await ImapTestMail.LoginAsync(host, address);
        for (var uid = 1; uid <= 3; uid++) await ImapMessages.AppendAsync(other, "INBOX", "", ImapMessages.Simple("Burst " + uid), uid);
        await watcher.RunAsync("""
            C: n1 NOTIFY SET (MAILBOXES (INBOX Sent Drafts) (MessageNew MessageExpunge FlagChange))
            S: n1 NO [NOTIFICATIONOVERFLOW] Too many mailbox names (at most 2)
            C: n2 NOTIFY SET (PERSONAL (MessageNew MessageExpunge FlagChange))
            S: n2 OK NOTIFY completed
            """);
        await other.CommandAsync("o1 SELECT INBOX");
        while (!(await other.ExpectLineStartsWithAsync("")).StartsWith("o1 OK", StringComparison.Ordinal))
        {
        }
        // One STORE changes three messages: three changes in one report, more than the two allowed.
        await other.RunAsync("""
            C: o2 STORE 1:3 +FLAGS.SILENT (\Flagged)
            S: o2 OK STORE completed
            """);
        await watcher.RunAsync("""S: * OK [NOTIFICATIONOVERFLOW] More than 2 changes at once; NOTIFY is now off""");
        // Off: a later delivery is not reported, not even at the next command.
        await ImapTestMail.DeliverAsync(host, address, "After");
        await Task.Delay(500);
        await watcher.RunAsync("""
            C: x1 NOOP
            S: x1 OK NOOP completed
            """);
    }

    [Fact]
    public async Task UpdatingSearchesPastTheLimitAreAnsweredWithoutUpdates()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var imap = await ImapNotifyTranscriptTests.SelectedRev2Async(host, address);
        await imap.RunAsync("""
            C: u1 SEARCH RETURN (UPDATE) ALL
            S: * ESEARCH (TAG "u1")
            S: u1 OK SEARCH completed
            C: u2 SEARCH RETURN (UPDATE COUNT) ALL
            S: * NO [NOUPDATE "u2"] Too many updating searches (at most 1)
            S: * ESEARCH (TAG "u2") COUNT 0
            S: u2 OK SEARCH completed
            C: c1 CANCELUPDATE "u2"
            S: c1 BAD Unknown tag: no updating search has it
            C: c2 CANCELUPDATE "u1"
            S: c2 OK Updates cancelled
            """);
    }
}
