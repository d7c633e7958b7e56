using System.Text;
using Mail.Frontends.Tests.Smtp;

namespace Mail.Frontends.Tests.Imap;

/// <summary>SELECT, FETCH, STORE, SEARCH, COPY, MOVE, EXPUNGE and their UID forms as byte-exact C:/S: transcripts.</summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapMailboxTranscriptTests(ImapHostFixture host)
{
    private static readonly string Hello = ImapMessages.Simple("Hello");
    private static readonly string Second = ImapMessages.Simple("Second", "Second body.");

    private async Task<SmtpTranscript> WithTwoMessagesAsync()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        api.Dispose();
        var imap = await ImapTestMail.LoginAsync(host, address);
        await ImapMessages.AppendAsync(imap, "INBOX", "(\\Seen) \"03-Feb-2025 10:00:00 +0000\" ", Hello, 1);
        await ImapMessages.AppendAsync(imap, "INBOX", "", Second, 2);
        return imap;
    }

    [Fact]
    public async Task SelectAnswersFlagsExistsUidsPermanentFlagsAndHighestModseq()
    {
        await using var imap = await WithTwoMessagesAsync();
        await imap.RunAsync("""
            C: s1 SELECT INBOX
            S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft)
            S: * 2 EXISTS
            S: * 2 RECENT
            S: * OK [UNSEEN 2] First unseen
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 3] Predicted next UID
            S: * OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft \*)] Flags permitted
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: s1 OK [READ-WRITE] SELECT completed
            C: s2 EXAMINE INBOX
            S: * OK [CLOSED] Previous mailbox closed
            S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft)
            S: * 2 EXISTS
            S: * 0 RECENT
            S: * OK [UNSEEN 2] First unseen
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 3] Predicted next UID
            S: * OK [PERMANENTFLAGS ()] Read-only mailbox
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: s2 OK [READ-ONLY] EXAMINE completed
            C: s3 STORE 1 +FLAGS (\Flagged)
            S: s3 NO [READ-ONLY] Mailbox is read-only
            C: s4 SELECT Nowhere
            S: * OK [CLOSED] Previous mailbox closed
            S: s4 NO [NONEXISTENT] Folder Nowhere does not exist.
            C: s5 FETCH 1 FLAGS
            S: s5 BAD Select a mailbox first
            """);
    }

    [Fact]
    public async Task SelectInImap4rev2SendsTheListResponseAndNoRecent()
    {
        await using var imap = await WithTwoMessagesAsync();
        await imap.RunAsync("""
            C: e1 ENABLE IMAP4rev2
            S: * ENABLED IMAP4rev2
            S: e1 OK ENABLE completed
            C: s1 SELECT inbox
            S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft)
            S: * 2 EXISTS
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 3] Predicted next UID
            S: * OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft \*)] Flags permitted
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: * LIST () "/" INBOX
            S: s1 OK [READ-WRITE] SELECT completed
            C: s2 SEARCH UNSEEN
            S: * ESEARCH (TAG "s2") ALL 2
            S: s2 OK SEARCH completed
            """);
    }

    [Fact]
    public async Task FetchFlagsSizesDatesEnvelopeAndBodyStructure()
    {
        await using var imap = await WithTwoMessagesAsync();
        var size = Encoding.UTF8.GetByteCount(Hello);
        await imap.RunAsync($$"""
            C: s1 EXAMINE INBOX
            S: * FLAGS*
            S: * 2 EXISTS
            S: * 2 RECENT
            S: * OK [UNSEEN 2]*
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 3]*
            S: * OK [PERMANENTFLAGS ()]*
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: s1 OK [READ-ONLY] EXAMINE completed
            C: f1 FETCH 1 (UID FLAGS RFC822.SIZE INTERNALDATE)
            S: * 1 FETCH (UID 1 FLAGS (\Recent \Seen) RFC822.SIZE {{size}} INTERNALDATE "03-Feb-2025 10:00:00 +0000")
            S: f1 OK FETCH completed
            C: f2 FETCH 1 (ENVELOPE BODYSTRUCTURE)
            S: * 1 FETCH (ENVELOPE ("Mon, 03 Feb 2025 10:00:00 +0000" "Hello" (("Alice" NIL "alice" "example.test")) (("Alice" NIL "alice" "example.test")) (("Alice" NIL "alice" "example.test")) (("Bob" NIL "bob" "example.test")) NIL NIL NIL "<Hello@example.test>") BODYSTRUCTURE ("text" "plain" ("charset" "us-ascii") NIL NIL "7BIT" 9 1 NIL NIL NIL NIL))
            S: f2 OK FETCH completed
            C: f3 UID FETCH 2 (BODY.PEEK[HEADER.FIELDS (Subject)] BODY)
            S: * 2 FETCH (UID 2 BODY[HEADER.FIELDS (Subject)] {{{"Subject: Second\r\n\r\n".Length}}}
            S: Subject: Second
            S: 
            S:  BODY ("text" "plain" ("charset" "us-ascii") NIL NIL "7BIT" 14 1))
            S: f3 OK FETCH completed
            C: f4 FETCH 2 (BODY.PEEK[]<0.4> BODY.PEEK[TEXT] RFC822.HEADER)
            S: * 2 FETCH (BODY[]<0> {4}
            S: From BODY[TEXT] {14}
            S: Second body.
            S:  RFC822.HEADER {{{Second.Length - 14}}}
            S: From: Alice <alice@example.test>
            S: To: Bob <bob@example.test>
            S: Subject: Second
            S: Date: Mon, 03 Feb 2025 10:00:00 +0000
            S: Message-ID: <Second@example.test>
            S: 
            S: )
            S: f4 OK FETCH completed
            C: f5 FETCH 3 FLAGS
            S: f5 BAD Invalid message sequence number
            C: f6 UID FETCH 3:* (FLAGS)
            S: * 2 FETCH (UID 2 FLAGS (\Recent))
            S: f6 OK FETCH completed
            C: f7 FETCH 1 (BINARY.SIZE[1] BINARY[1] BODY[2])
            S: * 1 FETCH (BINARY.SIZE[1] 9 BINARY[1] {9}
            S: Hi Bob.
            S:  BODY[2] NIL)
            S: f7 OK FETCH completed
            C: f8 FETCH 1 (BODY[HEADER.FIELDS ()])
            S: f8 BAD Empty list
            """);
    }

    [Fact]
    public async Task BodyFetchWithoutPeekSetsSeenAndReportsTheFlagsOfTheMessagesItChanged()
    {
        await using var imap = await WithTwoMessagesAsync();
        await imap.RunAsync("""
            C: s1 SELECT INBOX
            S: * FLAGS*
            S: * 2 EXISTS
            S: * 2 RECENT
            S: * OK [UNSEEN 2]*
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 3]*
            S: * OK [PERMANENTFLAGS*
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: s1 OK [READ-WRITE] SELECT completed
            C: f1 FETCH 1:2 BODY[TEXT]
            S: * 1 FETCH (BODY[TEXT] {9}
            S: Hi Bob.
            S: )
            S: * 2 FETCH (BODY[TEXT] {14}
            S: Second body.
            S:  FLAGS (\Recent \Seen))
            S: f1 OK FETCH completed
            C: f2 FETCH 2 BODY[TEXT]
            S: * 2 FETCH (BODY[TEXT] {14}
            S: Second body.
            S: )
            S: f2 OK FETCH completed
            """);
    }

    [Fact]
    public async Task StoreAddsRemovesReplacesAndHonoursUnchangedSince()
    {
        await using var imap = await WithTwoMessagesAsync();
        await imap.RunAsync("""
            C: s1 SELECT INBOX
            S: * FLAGS*
            S: * 2 EXISTS
            S: * 2 RECENT
            S: * OK [UNSEEN 2]*
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 3]*
            S: * OK [PERMANENTFLAGS*
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: s1 OK [READ-WRITE] SELECT completed
            C: t1 STORE 1:2 +FLAGS (\Flagged $Work)
            S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft $Work)
            S: * OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft $Work \*)] Flags permitted
            S: * 1 FETCH (FLAGS (\Recent \Seen \Flagged $Work))
            S: * 2 FETCH (FLAGS (\Recent \Flagged $Work))
            S: t1 OK STORE completed
            C: t2 STORE 1 -FLAGS.SILENT \Flagged
            S: t2 OK STORE completed
            C: t3 UID STORE 2 FLAGS (\Answered)
            S: * 2 FETCH (UID 2 FLAGS (\Recent \Answered))
            S: t3 OK STORE completed
            C: t4 STORE 1 +FLAGS (\Bogus)
            S: t4 BAD \Bogus is not a system flag
            C: t5 STORE 1 (UNCHANGEDSINCE 1) +FLAGS (\Deleted)
            S: * OK [HIGHESTMODSEQ *
            S: t5 OK [MODIFIED 1] Conditional STORE failed
            C: t6 SEARCH KEYWORD $Work
            S: * SEARCH 1
            S: t6 OK SEARCH completed
            """);
    }

    [Fact]
    public async Task SearchKeysCharsetsAndEsearch()
    {
        await using var imap = await WithTwoMessagesAsync();
        await imap.RunAsync("""
            C: s1 EXAMINE INBOX
            S: * FLAGS*
            S: * 2 EXISTS
            S: * 2 RECENT
            S: * OK [UNSEEN 2]*
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 3]*
            S: * OK [PERMANENTFLAGS*
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: s1 OK [READ-ONLY] EXAMINE completed
            C: q1 SEARCH SEEN
            S: * SEARCH 1
            S: q1 OK SEARCH completed
            C: q2 UID SEARCH CHARSET UTF-8 SUBJECT second
            S: * SEARCH 2
            S: q2 OK SEARCH completed
            C: q3 SEARCH OR FROM alice BODY "nothing like this" NOT SMALLER 10
            S: * SEARCH 1 2
            S: q3 OK SEARCH completed
            C: q4 SEARCH BODY "second body" SENTON 3-Feb-2025 SINCE 1-Jan-2000
            S: * SEARCH 2
            S: q4 OK SEARCH completed
            C: q5 SEARCH RETURN (MIN MAX COUNT ALL) ALL
            S: * ESEARCH (TAG "q5") MIN 1 MAX 2 COUNT 2 ALL 1:2
            S: q5 OK SEARCH completed
            C: q6 UID SEARCH RETURN (COUNT) DELETED
            S: * ESEARCH (TAG "q6") UID COUNT 0
            S: q6 OK SEARCH completed
            C: q7 SEARCH CHARSET KOI8-R ALL
            S: q7 NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset
            C: q8 SEARCH HEADER Message-ID <Hello@example.test> 1:*
            S: * SEARCH 1
            S: q8 OK SEARCH completed
            C: q9 SEARCH FROBNICATE
            S: q9 BAD Unknown search key FROBNICATE
            C: q10 SEARCH TEXT "Subject: Second" UID 1:2 TO bob
            S: * SEARCH 2
            S: q10 OK SEARCH completed
            """);
    }

    [Fact]
    public async Task CopyMoveAndExpungeKeepSequenceNumbersConsistent()
    {
        await using var imap = await WithTwoMessagesAsync();
        await ImapMessages.AppendAsync(imap, "INBOX", "", ImapMessages.Simple("Third"), 3);
        await imap.RunAsync("""
            C: s1 SELECT INBOX
            S: * FLAGS*
            S: * 3 EXISTS
            S: * 3 RECENT
            S: * OK [UNSEEN 2]*
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 4]*
            S: * OK [PERMANENTFLAGS*
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: s1 OK [READ-WRITE] SELECT completed
            C: c1 COPY 1:2 Archive
            """);
        Assert.EndsWith(" 1:2 1:2] COPY completed", await imap.ExpectLineStartsWithAsync("c1 OK [COPYUID "));
        await imap.RunAsync("""
            C: c2 COPY 1 Nowhere
            S: c2 NO [TRYCREATE] Mailbox Nowhere does not exist
            C: c3 UID MOVE 2 Trash
            """);
        Assert.EndsWith(" 2 1] Moved", await imap.ExpectLineStartsWithAsync("* OK [COPYUID "));
        await imap.RunAsync("""
            S: * 2 EXPUNGE
            S: c3 OK MOVE completed
            C: c4 STORE 1:2 +FLAGS.SILENT (\Deleted)
            S: c4 OK STORE completed
            C: c5 EXPUNGE
            S: * 1 EXPUNGE
            S: * 1 EXPUNGE
            S: c5 OK EXPUNGE completed
            C: c6 STATUS Archive (MESSAGES UIDNEXT UNSEEN)
            S: * STATUS Archive (MESSAGES 2 UIDNEXT 3 UNSEEN 1)
            S: c6 OK STATUS completed
            C: c7 SELECT Archive
            S: * OK [CLOSED] Previous mailbox closed
            S: * FLAGS*
            S: * 2 EXISTS
            S: * 2 RECENT
            S: * OK [UNSEEN 2]*
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 3]*
            S: * OK [PERMANENTFLAGS*
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: c7 OK [READ-WRITE] SELECT completed
            C: c8 STORE 1:2 +FLAGS.SILENT (\Deleted)
            S: c8 OK STORE completed
            C: c9 UID EXPUNGE 2
            S: * 2 EXPUNGE
            S: c9 OK EXPUNGE completed
            C: c10 CLOSE
            S: c10 OK CLOSE completed
            C: c11 STATUS Archive (MESSAGES)
            S: * STATUS Archive (MESSAGES 0)
            S: c11 OK STATUS completed
            """);
    }
}
