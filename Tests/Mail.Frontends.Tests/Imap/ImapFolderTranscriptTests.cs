namespace Mail.Frontends.Tests.Imap;

/// <summary>LIST, LSUB, CREATE, RENAME, DELETE, SUBSCRIBE, STATUS and QUOTA as byte-exact C:/S: transcripts.</summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapFolderTranscriptTests(ImapHostFixture host)
{
    [Fact]
    public async Task ListShowsSpecialUseAndChildrenAndFoldersCanBeCreatedRenamedAndDeleted()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        await imap.RunAsync("""
            C: l1 LIST "" ""
            S: * LIST (\Noselect) "/" ""
            S: l1 OK LIST completed
            C: l2 LIST "" *
            S: * LIST (\HasNoChildren) "/" INBOX
            S: * LIST (\HasNoChildren \Archive) "/" Archive
            S: * LIST (\HasNoChildren \Drafts) "/" Drafts
            S: * LIST (\HasNoChildren \Junk) "/" Junk
            S: * LIST (\HasNoChildren \Sent) "/" Sent
            S: * LIST (\HasNoChildren \Trash) "/" Trash
            S: l2 OK LIST completed
            C: c1 CREATE "Projects/2025 Q1"
            S: c1 OK [MAILBOXID (*
            C: c2 CREATE Projects
            S: c2 NO [ALREADYEXISTS] Folder Projects already exists.
            C: l3 LIST "" %
            S: * LIST (\HasNoChildren) "/" INBOX
            S: * LIST (\HasNoChildren \Archive) "/" Archive
            S: * LIST (\HasNoChildren \Drafts) "/" Drafts
            S: * LIST (\HasNoChildren \Junk) "/" Junk
            S: * LIST (\HasChildren) "/" Projects
            S: * LIST (\HasNoChildren \Sent) "/" Sent
            S: * LIST (\HasNoChildren \Trash) "/" Trash
            S: l3 OK LIST completed
            C: l4 LIST "Projects/" %
            S: * LIST (\HasNoChildren) "/" "Projects/2025 Q1"
            S: l4 OK LIST completed
            C: b1 SUBSCRIBE Projects
            S: b1 OK SUBSCRIBE completed
            C: b2 SUBSCRIBE "Projects/2025 Q1"
            S: b2 OK SUBSCRIBE completed
            C: r1 RENAME Projects Work
            S: r1 OK RENAME completed
            C: u1 UNSUBSCRIBE "Work/2025 Q1"
            S: u1 OK UNSUBSCRIBE completed
            C: l5 LIST (SUBSCRIBED) "" "W*" RETURN (CHILDREN STATUS (MESSAGES))
            S: * LIST (\HasChildren \Subscribed) "/" Work
            S: * STATUS Work (MESSAGES 0)
            S: l5 OK LIST completed
            C: l6 LSUB "" "Work/*"
            S: l6 OK LSUB completed
            C: u2 SUBSCRIBE "Work/2025 Q1"
            S: u2 OK SUBSCRIBE completed
            C: l7 LSUB "" "Work/*"
            S: * LSUB () "/" "Work/2025 Q1"
            S: l7 OK LSUB completed
            C: l8 LIST (SPECIAL-USE) "" * RETURN (SUBSCRIBED)
            S: * LIST (\HasNoChildren \Archive \Subscribed) "/" Archive
            S: * LIST (\HasNoChildren \Drafts \Subscribed) "/" Drafts
            S: * LIST (\HasNoChildren \Junk \Subscribed) "/" Junk
            S: * LIST (\HasNoChildren \Sent \Subscribed) "/" Sent
            S: * LIST (\HasNoChildren \Trash \Subscribed) "/" Trash
            S: l8 OK LIST completed
            C: d1 DELETE Trash
            S: d1 NO [CANNOT] Trash is a special folder and cannot be deleted or renamed.
            C: d2 DELETE Work
            S: d2 NO [HASCHILDREN] Work has sub-folders; delete them first
            C: d4 DELETE "Work/2025 Q1"
            S: d4 OK DELETE completed
            C: d5 DELETE Work
            S: d5 OK DELETE completed
            C: d3 DELETE Work
            S: d3 NO [NONEXISTENT] Folder Work does not exist.
            C: s1 STATUS INBOX (MESSAGES UIDNEXT UNSEEN SIZE RECENT)
            S: * STATUS INBOX (MESSAGES 0 UIDNEXT 1 UNSEEN 0 SIZE 0 RECENT 0)
            S: s1 OK STATUS completed
            C: s2 STATUS INBOX (BOGUS)
            S: s2 BAD Unknown STATUS item
            C: q1 GETQUOTAROOT INBOX
            S: * QUOTAROOT INBOX ""
            S: * QUOTA "" (STORAGE 0 *
            S: q1 OK GETQUOTAROOT completed
            C: q2 GETQUOTA "elsewhere"
            S: q2 NO [NONEXISTENT] No quota root elsewhere
            """);
    }

    [Fact]
    public async Task ModifiedUtf7NamesForImap4rev1AndUtf8ForImap4rev2()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        var wire = System.Text.Encoding.Latin1.GetString(System.Text.Encoding.UTF8.GetBytes("Entwürfe"));
        await imap.RunAsync($$"""
            C: c1 CREATE "Entw&APw-rfe"
            S: c1 OK [MAILBOXID (*
            C: l1 LIST "" "Entw*"
            S: * LIST (\HasNoChildren) "/" Entw&APw-rfe
            S: l1 OK LIST completed
            C: e1 ENABLE IMAP4rev2
            S: * ENABLED IMAP4rev2
            S: e1 OK ENABLE completed
            C: l2 LIST "" "Entw*"
            S: * LIST (\HasNoChildren) "/" "{{wire}}"
            S: l2 OK LIST completed
            """);
    }
}
