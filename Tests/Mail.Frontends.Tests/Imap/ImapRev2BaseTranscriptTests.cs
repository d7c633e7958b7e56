namespace Mail.Frontends.Tests.Imap;

/// <summary>
/// Parts of IMAP4rev2's base that RFC 9051 Appendix E folds in from extensions: SEARCHRES (RFC 5182: SEARCH RETURN (SAVE)
/// and "$" in FETCH, STORE, COPY, MOVE, SEARCH and UID EXPUNGE) and STATUS DELETED (RFC 9051 §6.3.11).
/// </summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapRev2BaseTranscriptTests(ImapHostFixture host)
{
    [Fact]
    public async Task SavedSearchResultsAreUsableAsDollar()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        for (var i = 1; i <= 4; i++) await ImapMessages.AppendAsync(imap, "INBOX", i % 2 == 0 ? "(\\Seen) " : "", ImapMessages.Simple("M" + i), i);
        await imap.RunAsync("""
            C: e1 ENABLE IMAP4rev2
            S: * ENABLED IMAP4rev2
            S: e1 OK ENABLE completed
            C: s1 SELECT INBOX
            S: * FLAGS*
            S: * 4 EXISTS
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 5] Predicted next UID
            S: * OK [PERMANENTFLAGS*
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: * LIST () "/" INBOX
            S: s1 OK [READ-WRITE] SELECT completed
            C: f0 FETCH $ (UID)
            S: f0 OK FETCH completed
            C: r1 SEARCH RETURN (SAVE) UNSEEN
            S: r1 OK SEARCH completed
            C: f1 FETCH $ (UID FLAGS)
            S: * 1 FETCH (UID 1 FLAGS ())
            S: * 3 FETCH (UID 3 FLAGS ())
            S: f1 OK FETCH completed
            C: r2 UID SEARCH UID $ NOT 1
            S: * ESEARCH (TAG "r2") UID ALL 3
            S: r2 OK SEARCH completed
            C: r3 SEARCH RETURN (SAVE MAX COUNT) ALL
            S: * ESEARCH (TAG "r3") MAX 4 COUNT 4
            S: r3 OK SEARCH completed
            C: r4 SEARCH RETURN (SAVE MIN MAX) SEEN
            S: * ESEARCH (TAG "r4") MIN 2 MAX 4
            S: r4 OK SEARCH completed
            C: w1 STORE $ +FLAGS (\Deleted)
            S: * 2 FETCH (FLAGS (\Seen \Deleted))
            S: * 4 FETCH (FLAGS (\Seen \Deleted))
            S: w1 OK STORE completed
            C: t1 STATUS INBOX (MESSAGES DELETED)
            S: * STATUS INBOX (MESSAGES 4 DELETED 2)
            S: t1 OK STATUS completed
            C: x1 UID EXPUNGE $
            S: * 2 EXPUNGE
            S: * 3 EXPUNGE
            S: x1 OK EXPUNGE completed
            C: f2 FETCH $ (UID)
            S: f2 OK FETCH completed
            C: r5 SEARCH RETURN (SAVE) CHARSET KOI8-R ALL
            S: r5 NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset
            C: m1 MOVE $ Trash
            S: m1 OK MOVE completed
            """);
    }
}
