namespace Mail.Frontends.Tests.Imap;

/// <summary>COPY and MOVE into the selected mailbox itself work like any other target (RFC 9051 §6.4.7, RFC 6851 §3.3): new UIDs.</summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapSelfTargetTranscriptTests(ImapHostFixture host)
{
    [Fact]
    public async Task CopyAndMoveIntoTheSelectedMailboxGiveNewUids()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        await ImapMessages.AppendAsync(imap, "INBOX", "(\\Seen) ", ImapMessages.Simple("One"), 1);
        await ImapMessages.AppendAsync(imap, "INBOX", "(\\Flagged) ", ImapMessages.Simple("Two"), 2);
        await imap.RunAsync("""
            C: s1 SELECT INBOX
            S: * FLAGS*
            S: * 2 EXISTS
            S: * 2 RECENT
            S: * OK [UNSEEN 2]*
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 3] Predicted next UID
            S: * OK [PERMANENTFLAGS*
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: s1 OK [READ-WRITE] SELECT completed
            C: c1 UID COPY 1 INBOX
            S: * 3 EXISTS
            S: * 3 RECENT
            S: c1 OK [COPYUID *
            C: m1 UID MOVE 2 INBOX
            S: * OK [COPYUID *
            S: * 2 EXPUNGE
            S: * 3 EXISTS
            S: * 3 RECENT
            S: m1 OK MOVE completed
            C: f1 FETCH 1:* (UID FLAGS)
            S: * 1 FETCH (UID 1 FLAGS (\Recent \Seen))
            S: * 2 FETCH (UID 3 FLAGS (\Recent \Seen))
            S: * 3 FETCH (UID 4 FLAGS (\Recent \Flagged))
            S: f1 OK FETCH completed
            C: f2 UID FETCH 2 (FLAGS)
            S: f2 OK FETCH completed
            """);
    }

    [Fact]
    public async Task CopyUidAndMoveUidNameTheNewUidsInTheSameMailbox()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        await ImapMessages.AppendAsync(imap, "INBOX", "(\\Seen) ", ImapMessages.Simple("One"), 1);
        await imap.RunAsync("""
            C: s1 SELECT INBOX
            S: * FLAGS*
            S: * 1 EXISTS
            S: * 1 RECENT
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 2] Predicted next UID
            S: * OK [PERMANENTFLAGS*
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: s1 OK [READ-WRITE] SELECT completed
            """);
        await imap.CommandAsync("m1 MOVE 1 INBOX");
        var copyUid = await imap.ExpectLineStartsWithAsync("* OK [COPYUID ");
        Assert.EndsWith(" 1 2] Moved", copyUid);
        await imap.RunAsync("""
            S: * 1 EXPUNGE
            S: * 1 EXISTS
            S: * 1 RECENT
            S: m1 OK MOVE completed
            """);
    }
}
