namespace Mail.Frontends.Tests.Imap;

/// <summary>
/// Writes into a folder another account of the tenant shares (RFC 4314 §4): COPY into it and MOVE out of it across the two
/// accounts' mailboxes, CREATE and DELETE below it, each allowed by its right; negative rights take away what "anyone" gives.
/// </summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapAclSharedWriteTranscriptTests(ImapHostFixture host)
{
    [Fact]
    public async Task GranteeCopiesMovesCreatesAndDeletesWithTheMatchingRights()
    {
        var (alice, aliceApi) = await ImapTestMail.NewUserAsync(host);
        var (bob, bobApi) = await ImapTestMail.NewUserAsync(host);
        var (dave, daveApi) = await ImapTestMail.NewUserAsync(host);
        using var _ = aliceApi;
        using var __ = bobApi;
        using var ___ = daveApi;
        await using var owner = await ImapTestMail.LoginAsync(host, alice);
        await owner.RunAsync($$"""
            C: a1 CREATE Team
            S: a1 OK CREATE completed
            C: a2 SETACL Team {{bob}} lrswikxte
            S: a2 OK SETACL completed
            C: a3 SETACL Team anyone lr
            S: a3 OK SETACL completed
            C: a4 SETACL Team -{{dave}} r
            S: a4 OK SETACL completed
            """);
        await ImapMessages.AppendAsync(owner, "Team", "", ImapMessages.Simple("Alice's"), 1);

        var team = $"\"Other Users/{alice}/Team\"";
        await using var grantee = await ImapTestMail.LoginAsync(host, bob);
        await ImapMessages.AppendAsync(grantee, "INBOX", "(\\Flagged) ", ImapMessages.Simple("Bob's"), 1);
        await grantee.RunAsync($$"""
            C: b1 SELECT INBOX
            S: * FLAGS*
            S: * 1 EXISTS
            S: * 1 RECENT
            S: * OK [UNSEEN 1]*
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 2]*
            S: * OK [PERMANENTFLAGS*
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: b1 OK [READ-WRITE] SELECT completed
            C: b2 COPY 1 {{team}}
            """);
        Assert.EndsWith(" 1 2] COPY completed", await grantee.ExpectLineStartsWithAsync("b2 OK [COPYUID "));
        await grantee.RunAsync($$"""
            C: b3 SELECT {{team}}
            S: * OK [CLOSED] Previous mailbox closed
            S: * FLAGS*
            S: * 2 EXISTS
            S: * 2 RECENT
            S: * OK [UNSEEN 1]*
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 3]*
            S: * OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft \*)] Flags permitted
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: b3 OK [READ-WRITE] SELECT completed
            C: b4 FETCH 1:* (UID FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])
            S: * 1 FETCH (UID 1 FLAGS (\Recent) BODY[HEADER.FIELDS (SUBJECT)] {20}
            S: Subject: Alice's
            S: 
            S: )
            S: * 2 FETCH (UID 2 FLAGS (\Recent \Flagged) BODY[HEADER.FIELDS (SUBJECT)] {18}
            S: Subject: Bob's
            S: 
            S: )
            S: b4 OK FETCH completed
            C: b5 UID MOVE 1 INBOX
            """);
        Assert.EndsWith(" 1 2] Moved", await grantee.ExpectLineStartsWithAsync("* OK [COPYUID "));
        await grantee.RunAsync($$"""
            S: * 1 EXPUNGE
            S: b5 OK MOVE completed
            C: b6 CREATE "Other Users/{{alice}}/Team/Sub"
            S: b6 OK CREATE completed
            C: b7 MYRIGHTS "Other Users/{{alice}}/Team/Sub"
            S: * MYRIGHTS "Other Users/{{alice}}/Team/Sub" lrswikxtecd
            S: b7 OK MYRIGHTS completed
            C: b8 RENAME {{team}} "Other Users/{{alice}}/Renamed"
            S: b8 NO [NOPERM] No right to create Other Users/{{alice}}/Renamed
            C: b9 DELETE "Other Users/{{alice}}/Team/Sub"
            S: b9 OK DELETE completed
            """);
        await owner.RunAsync("""
            C: c1 SELECT Team
            S: * FLAGS*
            S: * 1 EXISTS
            S: * 0 RECENT
            S: * OK [UNSEEN 1]*
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 3]*
            S: * OK [PERMANENTFLAGS*
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: c1 OK [READ-WRITE] SELECT completed
            C: c2 UID FETCH 1:* (FLAGS)
            S: * 1 FETCH (UID 2 FLAGS (\Flagged))
            S: c2 OK FETCH completed
            C: c3 LIST "" Team*
            S: * LIST (\HasNoChildren) "/" Team
            S: c3 OK LIST completed
            """);

        // "anyone" gives lr; dave's negative entry takes r away again.
        await using var other = await ImapTestMail.LoginAsync(host, dave);
        await other.RunAsync($$"""
            C: d1 MYRIGHTS {{team}}
            S: * MYRIGHTS {{team}} l
            S: d1 OK MYRIGHTS completed
            C: d2 EXAMINE {{team}}
            S: d2 NO [NOPERM] No right to read Other Users/{{alice}}/Team
            """);
    }
}
