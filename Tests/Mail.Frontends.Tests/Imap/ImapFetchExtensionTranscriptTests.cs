namespace Mail.Frontends.Tests.Imap;

/// <summary>PREVIEW (RFC 8970) from the stored summary; EMAILID and THREADID (RFC 8474 §5) from the grain's ids, kept by MOVE.</summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapFetchExtensionTranscriptTests(ImapHostFixture host)
{
    [Fact]
    public async Task PreviewAndObjectIdsComeFromTheStoredMessage()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        await ImapMessages.AppendAsync(imap, "INBOX", "", ImapMessages.Simple("Preview me", "Hello   Bob,\r\n\r\nsee you."), 1);
        await imap.CommandAsync("c1 CAPABILITY");
        var capabilities = await imap.ExpectLineStartsWithAsync("* CAPABILITY ") + " ";
        foreach (var name in new[] { " PREVIEW ", " PREVIEW=FUZZY ", " SNIPPET=FUZZY " }) Assert.Contains(name, capabilities);
        await imap.ExpectLineStartsWithAsync("c1 OK");
        await imap.RunAsync("""
            C: s1 SELECT INBOX
            S: * FLAGS*
            S: * 1 EXISTS
            S: * 1 RECENT
            S: * OK [UNSEEN 1]*
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 2] Predicted next UID
            S: * OK [PERMANENTFLAGS*
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: s1 OK [READ-WRITE] SELECT completed
            C: f1 FETCH 1 (PREVIEW)
            S: * 1 FETCH (PREVIEW "Hello Bob, see you.")
            S: f1 OK FETCH completed
            C: f4 FETCH 1 (PREVIEW (LAZY) UID)
            S: * 1 FETCH (PREVIEW "Hello Bob, see you." UID 1)
            S: f4 OK FETCH completed
            C: f5 FETCH 1 (SNIPPET (FUZZY) PREVIEW (FUZZY))
            S: * 1 FETCH (SNIPPET (FUZZY "Hello Bob, see you.") PREVIEW (FUZZY "Hello Bob, see you."))
            S: f5 OK FETCH completed
            C: f6 FETCH 1 PREVIEW (FUZZY)
            S: * 1 FETCH (PREVIEW (FUZZY "Hello Bob, see you."))
            S: f6 OK FETCH completed
            C: f7 FETCH 1 (SNIPPET)
            S: f7 BAD *
            C: c2 CREATE Kept
            S: c2 OK [MAILBOXID (*
            """);
        await imap.CommandAsync("f2 FETCH 1 (EMAILID THREADID)");
        var before = await imap.ExpectLineStartsWithAsync("* 1 FETCH (EMAILID (M");
        await imap.ExpectLineStartsWithAsync("f2 OK");
        Assert.Matches(@"^\* 1 FETCH \(EMAILID \(M\d+\) THREADID (\(T\d+\)|NIL)\)$", before);
        await imap.RunAsync("""
            C: m1 MOVE 1 Kept
            S: * OK [COPYUID *
            S: * 1 EXPUNGE
            S: m1 OK MOVE completed
            C: s2 SELECT Kept
            S: * OK [CLOSED]*
            S: * FLAGS*
            S: * 1 EXISTS
            S: * 1 RECENT
            S: * OK [UNSEEN 1]*
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 2] Predicted next UID
            S: * OK [PERMANENTFLAGS*
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: s2 OK [READ-WRITE] SELECT completed
            """);
        await imap.CommandAsync("f3 FETCH 1 (EMAILID THREADID)");
        Assert.Equal(before, await imap.ExpectLineStartsWithAsync("* 1 FETCH (EMAILID (M"));
    }
}
