namespace Mail.Frontends.Tests.Imap;

/// <summary>
/// UIDONLY (RFC 9586): once enabled, sequence numbers are refused with [UIDREQUIRED], FETCH answers are UIDFETCH keyed by
/// UID, and expunges come as VANISHED; UNAUTHENTICATE (RFC 8437) turns it off again.
/// </summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapUidOnlyTranscriptTests(ImapHostFixture host)
{
    [Fact]
    public async Task SequenceNumbersAreRefusedAndAnswersUseUids()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        api.Dispose();
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        for (var i = 1; i <= 3; i++) await ImapMessages.AppendAsync(imap, "INBOX", "", ImapMessages.Simple($"Message {i}", "body"), i);
        await imap.RunAsync("""
            C: c1 CREATE Other
            S: c1 OK [MAILBOXID (*
            C: e1 ENABLE UIDONLY
            S: * ENABLED UIDONLY
            S: e1 OK ENABLE completed
            C: s1 SELECT INBOX
            S: * FLAGS*
            S: * 3 EXISTS
            S: * *
            S: * OK [UNSEEN 1]*
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 4] Predicted next UID
            S: * OK [PERMANENTFLAGS*
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: s1 OK [READ-WRITE] SELECT completed
            C: b1 FETCH 1 (UID)
            S: b1 BAD [UIDREQUIRED] Message sequence numbers are not allowed once UIDONLY is enabled
            C: b2 STORE 1 +FLAGS (\Seen)
            S: b2 BAD [UIDREQUIRED] *
            C: b3 SEARCH ALL
            S: b3 BAD [UIDREQUIRED] *
            C: b4 COPY 1 Other
            S: b4 BAD [UIDREQUIRED] *
            C: b5 MOVE 1 Other
            S: b5 BAD [UIDREQUIRED] *
            C: b6 SORT (ARRIVAL) UTF-8 ALL
            S: b6 BAD [UIDREQUIRED] *
            C: b7 THREAD REFERENCES UTF-8 ALL
            S: b7 BAD [UIDREQUIRED] *
            C: b8 UID SEARCH 1:2
            S: b8 BAD [UIDREQUIRED] *
            C: u1 UID SEARCH UID 2:3
            S: * SEARCH 2 3
            S: u1 OK SEARCH completed
            C: u2 UID SEARCH RETURN (SAVE) UID 3
            S: u2 OK SEARCH completed
            C: u3 UID FETCH $ (FLAGS)
            S: * 3 UIDFETCH (UID 3 FLAGS *
            S: u3 OK FETCH completed
            C: u4 UID STORE 2 +FLAGS (\Deleted)
            S: * 2 UIDFETCH (UID 2 FLAGS (*
            S: u4 OK STORE completed
            C: x1 EXPUNGE
            S: * VANISHED 2
            S: x1 OK EXPUNGE completed
            C: u5 UID COPY 3 Other
            S: u5 OK [COPYUID *
            C: a1 UNAUTHENTICATE
            S: a1 OK UNAUTHENTICATE completed
            """);
        await imap.CommandAsync($"l1 LOGIN {address} {ImapTestMail.Password}");
        await imap.ExpectLineStartsWithAsync("l1 OK [CAPABILITY ");
        await imap.RunAsync("""
            C: s2 EXAMINE INBOX
            S: * FLAGS*
            S: * 2 EXISTS
            S: * *
            S: * OK [UNSEEN 1]*
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 4] Predicted next UID
            S: * OK [PERMANENTFLAGS*
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: s2 OK [READ-ONLY] EXAMINE completed
            C: f1 FETCH 2 (UID)
            S: * 2 FETCH (UID 3)
            S: f1 OK FETCH completed
            """);
    }
}
