namespace Mail.Frontends.Tests.Imap;

/// <summary>The ACL commands' answers and errors (RFC 4314 §3, §4) and rights enforced on a shared folder, byte for byte.</summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapAclTranscriptTests(ImapHostFixture host)
{
    [Fact]
    public async Task AclCommandsAnswerAndRefuseAsTheRfcSays()
    {
        var (alice, aliceApi) = await ImapTestMail.NewUserAsync(host);
        var (bob, bobApi) = await ImapTestMail.NewUserAsync(host);
        await ApiUsers.EnsureDomainAsync(host, ImapAclMailKitTests.OtherTenantDomain, "acl-other-tenant");
        var (carol, carolApi) = await ApiUsers.CreateAsync(host, ImapAclMailKitTests.OtherTenantDomain);
        using var _ = aliceApi;
        using var __ = bobApi;
        using var ___ = carolApi;
        await using var owner = await ImapTestMail.LoginAsync(host, alice);
        await owner.CommandAsync("c0 CAPABILITY");
        Assert.Contains(" ACL RIGHTS=texk ", await owner.ExpectLineStartsWithAsync("* CAPABILITY "));
        await owner.RunAsync($$"""
            S: c0 OK CAPABILITY completed
            C: n1 NAMESPACE
            S: * NAMESPACE (("" "/")) (("Other Users/" "/")) NIL
            S: n1 OK NAMESPACE completed
            C: a1 CREATE Team
            S: a1 OK CREATE completed
            C: a2 MYRIGHTS Team
            S: * MYRIGHTS Team lrswipkxteacd
            S: a2 OK MYRIGHTS completed
            C: a3 SETACL Team {{bob}} lrz
            S: a3 BAD Unknown right in "lrz"
            C: a4 SETACL Team {{carol}} lr
            S: a4 NO [CANNOT] {{carol}} is not an account of this tenant.
            C: a5 SETACL Team {{alice}} -a
            S: a5 NO [CANNOT] The owner's rights cannot be changed: the owner always has every right.
            C: a6 SETACL Nowhere {{bob}} lr
            S: a6 NO [NONEXISTENT] Mailbox Nowhere does not exist
            C: a7 SETACL Team {{bob}} lrc
            S: a7 OK SETACL completed
            C: a8 SETACL Team -anyone +r
            S: a8 OK SETACL completed
            C: a9 GETACL Team
            S: * ACL Team {{alice}} lrswipkxteacd {{bob}} lrkxc -anyone r
            S: a9 OK GETACL completed
            C: b1 SETACL Team {{bob}} -kx
            S: b1 OK SETACL completed
            C: b2 DELETEACL Team -anyone
            S: b2 OK DELETEACL completed
            C: b3 LISTRIGHTS Team {{alice}}
            S: * LISTRIGHTS Team {{alice}} lrswipkxteacd
            S: b3 OK LISTRIGHTS completed
            C: b4 LISTRIGHTS Team {{bob}}
            S: * LISTRIGHTS Team {{bob}} "" l r s w i p k x t e a c d
            S: b4 OK LISTRIGHTS completed
            C: b5 LISTRIGHTS Team {{carol}}
            S: b5 NO [CANNOT] {{carol}} is not an account of this tenant
            """);
        await ImapMessages.AppendAsync(owner, "Team", "", ImapMessages.Simple("Shared"), 1);

        var shared = $"\"Other Users/{alice}/Team\"";
        await using var grantee = await ImapTestMail.LoginAsync(host, bob);
        await grantee.RunAsync($$"""
            C: g1 LIST "" "Other Users/*"
            S: * LIST (\Noselect \HasChildren) "/" "Other Users/{{alice}}"
            S: * LIST (\HasNoChildren) "/" {{shared}}
            S: g1 OK LIST completed
            C: g2 MYRIGHTS {{shared}}
            S: * MYRIGHTS {{shared}} lr
            S: g2 OK MYRIGHTS completed
            C: g3 GETACL {{shared}}
            S: g3 NO [NOPERM] No right to administer Other Users/{{alice}}/Team
            C: g4 STATUS {{shared}} (MESSAGES UNSEEN)
            S: * STATUS {{shared}} (MESSAGES 1 UNSEEN 1)
            S: g4 OK STATUS completed
            C: g5 SELECT {{shared}}
            S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft)
            S: * 1 EXISTS
            S: * 1 RECENT
            S: * OK [UNSEEN 1] First unseen
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 2] Predicted next UID
            S: * OK [PERMANENTFLAGS ()] Read-only mailbox
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: g5 OK [READ-ONLY] SELECT completed
            C: g6 FETCH 1 (FLAGS BODY[HEADER.FIELDS (SUBJECT)])
            S: * 1 FETCH (FLAGS (\Recent) BODY[HEADER.FIELDS (SUBJECT)] {19}
            S: Subject: Shared
            S: 
            S: )
            S: g6 OK FETCH completed
            C: g7 STORE 1 +FLAGS (\Seen)
            S: g7 NO [READ-ONLY] Mailbox is read-only
            C: g9 CREATE "Other Users/{{alice}}/Team/Sub"
            S: g9 NO [NOPERM] No right to create folders in Other Users/{{alice}}/Team
            C: h1 DELETE {{shared}}
            S: h1 NO [NOPERM] No right to delete Other Users/{{alice}}/Team
            C: h2 SELECT "Other Users/{{alice}}/INBOX"
            S: * OK [CLOSED] Previous mailbox closed
            S: h2 NO [NONEXISTENT] Mailbox Other Users/{{alice}}/INBOX does not exist
            """);
        await grantee.RunAsync(ImapMessages.AppendScript("g8", shared, "", ImapMessages.Simple("From Bob")));
        await grantee.ExpectAsync($"g8 NO [NOPERM] No right to append to Other Users/{alice}/Team");

        await owner.RunAsync($$"""
            C: c1 SETACL Team {{bob}} +sw
            S: c1 OK SETACL completed
            """);
        await grantee.RunAsync($$"""
            C: g1 SELECT {{shared}}
            S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft)
            S: * 1 EXISTS
            S: * 1 RECENT
            S: * OK [UNSEEN 1] First unseen
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 2] Predicted next UID
            S: * OK [PERMANENTFLAGS (\Answered \Flagged \Seen \Draft \*)] Flags permitted
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: g1 OK [READ-WRITE] SELECT completed
            C: g2 STORE 1 +FLAGS (\Deleted)
            S: g2 NO [NOPERM] No right to change these flags here
            C: g3 STORE 1 +FLAGS (\Seen \Flagged)
            S: * 1 FETCH (FLAGS (\Recent \Seen \Flagged))
            S: g3 OK STORE completed
            C: g4 EXPUNGE
            S: g4 NO [NOPERM] No right to expunge here
            """);

        await using var outsider = await ImapTestMail.LoginAsync(host, carol);
        await outsider.RunAsync($$"""
            C: o1 LIST "" "Other Users/*"
            S: o1 OK LIST completed
            C: o2 SELECT {{shared}}
            S: o2 NO [NONEXISTENT] Mailbox Other Users/{{alice}}/Team does not exist
            C: o3 MYRIGHTS {{shared}}
            S: o3 NO [NONEXISTENT] Mailbox Other Users/{{alice}}/Team does not exist
            """);
    }
}
