namespace Mail.Frontends.Tests.Imap;

/// <summary>
/// LSUB (RFC 3501 §6.3.9) and LIST-EXTENDED (RFC 5258): CREATE subscribes nothing; a subscribed name whose parent is not
/// subscribed shows the parent \Noselect for "%"; a deleted folder stays subscribed and is listed \NonExistent; RECURSIVEMATCH
/// gives CHILDINFO for a parent whose subscribed descendants the pattern does not reach; RETURN (CHILDREN) and (SUBSCRIBED).
/// </summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapSubscriptionTranscriptTests(ImapHostFixture host)
{
    private async Task<Smtp.SmtpTranscript> WithFoldersAsync()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        api.Dispose();
        var imap = await ImapTestMail.LoginAsync(host, address);
        await imap.RunAsync("""
            C: c1 CREATE box/test
            S: c1 OK [MAILBOXID (*
            C: c2 CREATE box/test2/test
            S: c2 OK [MAILBOXID (*
            C: c3 CREATE box/test3/test3
            S: c3 OK [MAILBOXID (*
            C: c4 CREATE box/test6
            S: c4 OK [MAILBOXID (*
            C: c5 CREATE box/test8/test8
            S: c5 OK [MAILBOXID (*
            C: c6 CREATE box/test8/test9
            S: c6 OK [MAILBOXID (*
            C: l1 LSUB "" box*
            S: l1 OK LSUB completed
            C: u1 SUBSCRIBE box/test
            S: u1 OK SUBSCRIBE completed
            C: u2 SUBSCRIBE box/test2/test
            S: u2 OK SUBSCRIBE completed
            C: u3 SUBSCRIBE box/test3/test3
            S: u3 OK SUBSCRIBE completed
            C: u4 SUBSCRIBE box/test6
            S: u4 OK SUBSCRIBE completed
            C: u5 SUBSCRIBE box/test8/test8
            S: u5 OK SUBSCRIBE completed
            C: u6 SUBSCRIBE box/test8/test9
            S: u6 OK SUBSCRIBE completed
            """);
        return imap;
    }

    [Fact]
    public async Task LsubShowsUnsubscribedParentsAsNoselectForPercent()
    {
        await using var imap = await WithFoldersAsync();
        await imap.RunAsync("""
            C: l1 LSUB "" box/%
            S: * LSUB () "/" box/test
            S: * LSUB (\Noselect) "/" box/test2
            S: * LSUB (\Noselect) "/" box/test3
            S: * LSUB () "/" box/test6
            S: * LSUB (\Noselect) "/" box/test8
            S: l1 OK LSUB completed
            C: l2 LSUB "" *test
            S: * LSUB () "/" box/test
            S: * LSUB () "/" box/test2/test
            S: l2 OK LSUB completed
            C: u1 UNSUBSCRIBE box/test3/test3
            S: u1 OK UNSUBSCRIBE completed
            C: l3 LSUB "" box/test3%
            S: l3 OK LSUB completed
            """);
    }

    [Fact]
    public async Task ADeletedSubscribedFolderIsListedNonExistentUntilUnsubscribed()
    {
        await using var imap = await WithFoldersAsync();
        await imap.RunAsync("""
            C: d1 DELETE box/test6
            S: d1 OK DELETE completed
            C: l1 LIST (SUBSCRIBED) "" box/*
            S: * LIST (\HasNoChildren \Subscribed) "/" box/test
            S: * LIST (\HasNoChildren \Subscribed) "/" box/test2/test
            S: * LIST (\HasNoChildren \Subscribed) "/" box/test3/test3
            S: * LIST (\NonExistent \Subscribed) "/" box/test6
            S: * LIST (\HasNoChildren \Subscribed) "/" box/test8/test8
            S: * LIST (\HasNoChildren \Subscribed) "/" box/test8/test9
            S: l1 OK LIST completed
            C: l2 LSUB "" box/test6
            S: * LSUB () "/" box/test6
            S: l2 OK LSUB completed
            C: l3 LIST "" box/test6
            S: l3 OK LIST completed
            C: c1 CREATE box/test6
            S: c1 OK [MAILBOXID (*
            C: l4 LIST "" box/test6 RETURN (SUBSCRIBED)
            S: * LIST (\HasNoChildren \Subscribed) "/" box/test6
            S: l4 OK LIST completed
            C: d2 DELETE box/test6
            S: d2 OK DELETE completed
            C: u1 UNSUBSCRIBE box/test6
            S: u1 OK UNSUBSCRIBE completed
            C: l5 LIST (SUBSCRIBED) "" box/test6
            S: l5 OK LIST completed
            """);
    }

    [Fact]
    public async Task RecursiveMatchGivesChildInfoOnlyForDescendantsThePatternMisses()
    {
        await using var imap = await WithFoldersAsync();
        await imap.RunAsync("""
            C: r1 LIST (SUBSCRIBED RECURSIVEMATCH) "" box/test2% RETURN (CHILDREN)
            S: * LIST (\HasChildren) "/" box/test2 ("CHILDINFO" ("SUBSCRIBED"))
            S: r1 OK LIST completed
            C: r2 LIST (SUBSCRIBED RECURSIVEMATCH) "" box*test8
            S: * LIST (\HasChildren) "/" box/test8 ("CHILDINFO" ("SUBSCRIBED"))
            S: * LIST (\HasNoChildren \Subscribed) "/" box/test8/test8
            S: r2 OK LIST completed
            C: r3 LIST (SUBSCRIBED RECURSIVEMATCH) "" (box/test2 box/test2/test)
            S: * LIST (\HasNoChildren \Subscribed) "/" box/test2/test
            S: r3 OK LIST completed
            C: r4 LIST "" box/% RETURN (CHILDREN SUBSCRIBED)
            S: * LIST (\HasNoChildren \Subscribed) "/" box/test
            S: * LIST (\HasChildren) "/" box/test2
            S: * LIST (\HasChildren) "/" box/test3
            S: * LIST (\HasNoChildren \Subscribed) "/" box/test6
            S: * LIST (\HasChildren) "/" box/test8
            S: r4 OK LIST completed
            C: r5 LIST (RECURSIVEMATCH) "" %
            S: r5 BAD RECURSIVEMATCH needs another selection option
            """);
    }
}
