namespace Mail.Frontends.Tests.Imap;

/// <summary>
/// New keywords are announced with untagged FLAGS and PERMANENTFLAGS before any FETCH shows them (RFC 3501 §7.2.6,
/// RFC 9051 §7.3.5), whether the keyword came from this session's STORE, another session's STORE, APPEND or COPY.
/// </summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapKeywordTranscriptTests(ImapHostFixture host)
{
    private const string SystemFlags = @"\Answered \Flagged \Deleted \Seen \Draft";

    [Fact]
    public async Task StoreOfANewKeywordAnnouncesItBeforeTheFetchThatShowsIt()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        await ImapMessages.AppendAsync(imap, "INBOX", "(\\Seen) ", ImapMessages.Simple("One"), 1);
        await imap.RunAsync($"""
            C: s1 SELECT INBOX
            S: * FLAGS ({SystemFlags})
            S: * 1 EXISTS
            S: * 1 RECENT
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 2] Predicted next UID
            S: * OK [PERMANENTFLAGS ({SystemFlags} \*)] Flags permitted
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: s1 OK [READ-WRITE] SELECT completed
            C: k1 STORE 1 +FLAGS ($Work Later)
            S: * FLAGS ({SystemFlags} $Work Later)
            S: * OK [PERMANENTFLAGS ({SystemFlags} $Work Later \*)] Flags permitted
            S: * 1 FETCH (FLAGS (\Recent \Seen $Work Later))
            S: k1 OK STORE completed
            C: k2 STORE 1 -FLAGS (Later)
            S: * 1 FETCH (FLAGS (\Recent \Seen $Work))
            S: k2 OK STORE completed
            C: k3 STORE 1 +FLAGS (later)
            S: * 1 FETCH (FLAGS (\Recent \Seen $Work later))
            S: k3 OK STORE completed
            """);
    }

    [Fact]
    public async Task KeywordsFromAnotherSessionsStoreAppendAndCopyAreAnnouncedFirst()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var watcher = await ImapTestMail.LoginAsync(host, address);
        await using var writer = await ImapTestMail.LoginAsync(host, address);
        await ImapMessages.AppendAsync(writer, "INBOX", "", ImapMessages.Simple("One"), 1);
        await writer.RunAsync("""
            C: c1 CREATE Other
            S: c1 OK [MAILBOXID (*
            """);
        await ImapMessages.AppendAsync(writer, "Other", "($FromCopy) ", ImapMessages.Simple("Copied"), 1);
        await watcher.RunAsync("C: e1 EXAMINE INBOX\nS: * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\nS: * 1 EXISTS\nS: * 1 RECENT*\nS: * OK [UNSEEN 1]*\nS: * OK [UIDVALIDITY *\nS: * OK [UIDNEXT *\nS: * OK [PERMANENTFLAGS ()] Read-only mailbox\nS: * OK [HIGHESTMODSEQ *\nS: * OK [MAILBOXID (*\nS: e1 OK [READ-ONLY] EXAMINE completed");
        await writer.RunAsync("""
            C: s1 SELECT INBOX
            S: * FLAGS*
            S: * 1 EXISTS
            S: * 1 RECENT
            S: * OK [UNSEEN 1]*
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT *
            S: * OK [PERMANENTFLAGS*
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: s1 OK [READ-WRITE] SELECT completed
            C: s2 STORE 1 +FLAGS.SILENT ($Stored)
            S: s2 OK STORE completed
            """);
        await watcher.RunAsync($"""
            C: n1 NOOP
            S: * FLAGS ({SystemFlags} $Stored)
            S: * OK [PERMANENTFLAGS ()] Read-only mailbox
            S: * 1 FETCH (UID 1 FLAGS (\Recent $Stored))
            S: n1 OK NOOP completed
            """);
        // The writer has INBOX selected: it learns of its own APPEND (and claims it as \Recent) before the tagged OK.
        await writer.RunAsync(ImapMessages.AppendScript("ap", "INBOX", "($Appended) ", ImapMessages.Simple("Two")) + """
            S: * 2 EXISTS
            S: * 2 RECENT
            """);
        Assert.EndsWith(" 2] APPEND completed", await writer.ExpectLineStartsWithAsync("ap OK [APPENDUID "));
        await writer.RunAsync("""
            C: p1 UID COPY 1 Other
            S: p1 OK [COPYUID *
            C: u1 UNSELECT
            S: u1 OK UNSELECT completed
            C: s3 SELECT Other
            S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft $FromCopy $Stored)
            S: * 2 EXISTS
            S: * 2 RECENT
            S: * OK [UNSEEN 1]*
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 3] Predicted next UID
            S: * OK [PERMANENTFLAGS*
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: s3 OK [READ-WRITE] SELECT completed
            """);
        // The writer claimed message 2 as recent: the read-only watcher sees it, but not as \Recent.
        await watcher.RunAsync($"""
            C: n2 NOOP
            S: * 2 EXISTS
            S: * 1 RECENT
            S: n2 OK NOOP completed
            C: f1 FETCH 2 (FLAGS)
            S: * FLAGS ({SystemFlags} $Stored $Appended)
            S: * OK [PERMANENTFLAGS ()] Read-only mailbox
            S: * 2 FETCH (FLAGS ($Appended))
            S: f1 OK FETCH completed
            """);
    }
}
