namespace Mail.Frontends.Tests.Imap;

/// <summary>
/// FETCH of a set that is not in ascending order answers every message in it, once, in mailbox order (RFC 9051 §6.4.5,
/// §9 sequence-set: any order). Written after imaptest's stress mode found a FETCH answered NO [SERVERBUG] from a page
/// matched by a walk that assumed ascending UIDs; this set does not reproduce that stress case, which stays unpinned.
/// </summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapFetchOrderTranscriptTests(ImapHostFixture host)
{
    [Fact]
    public async Task AFetchOfADescendingSetAnswersEveryMessageInIt()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        await ImapMessages.AppendAsync(imap, "INBOX", "(\\Seen) ", ImapMessages.Simple("One"), 1);
        await ImapMessages.AppendAsync(imap, "INBOX", "(\\Seen) ", ImapMessages.Simple("Two"), 2);
        await ImapMessages.AppendAsync(imap, "INBOX", "(\\Seen) ", ImapMessages.Simple("Three"), 3);
        await imap.RunAsync("""
            C: s1 SELECT INBOX
            S: * FLAGS*
            S: * 3 EXISTS
            S: * 3 RECENT
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 4]*
            S: * OK [PERMANENTFLAGS*
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: s1 OK [READ-WRITE] SELECT completed
            C: f1 FETCH 3,1 (UID)
            S: * 1 FETCH (UID 1)
            S: * 3 FETCH (UID 3)
            S: f1 OK FETCH completed
            C: f2 FETCH 3,1 (UID FLAGS)
            S: * 1 FETCH (UID 1 FLAGS (\Recent \Seen))
            S: * 3 FETCH (UID 3 FLAGS (\Recent \Seen))
            S: f2 OK FETCH completed
            """);
    }
}
