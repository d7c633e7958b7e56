namespace Mail.Frontends.Tests.Imap;

/// <summary>
/// A host whose long-command progress interval is a millisecond, so every FETCH and SEARCH page reports, and whose
/// legacy.example users not yet migrated are referred to another server.
/// </summary>
public sealed class ImapConfiguredHostFixture : MailHostFixture
{
    /// <inheritdoc />
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Mail:Imap:ProgressIntervalMilliseconds"] = "1",
        ["Mail:Imap:Referrals:legacy.example"] = "old-imap.legacy.example:993",
    };
}

/// <summary>
/// Settings that change what the server says: INPROGRESS (RFC 9585 §3), untagged progress of a running command with its
/// tag, the count done and the total; LOGIN-REFERRALS (RFC 2221 §4.1) for a domain still partly on another server.
/// </summary>
public sealed class ImapConfiguredTranscriptTests(ImapConfiguredHostFixture host) : IClassFixture<ImapConfiguredHostFixture>
{
    [Fact]
    public async Task ALoginForAnUnmigratedUserOfAReferredDomainGetsAReferral()
    {
        await ApiUsers.EnsureDomainAsync(host, "legacy.example");
        var (migrated, api) = await ApiUsers.CreateAsync(host, "legacy.example");
        api.Dispose();
        await using var imap = await ImapTestMail.OpenTlsAsync(host);
        await imap.RunAsync("""
            C: a1 LOGIN carol@legacy.example secret
            S: a1 NO [REFERRAL imap://carol%40legacy.example;AUTH=*@old-imap.legacy.example:993/] This user's mailbox is on another server
            C: a2 LOGIN carol@example.test secret
            S: a2 NO [AUTHENTICATIONFAILED] Authentication failed
            """);
        // A migrated user with a wrong password is not referred: the mailbox is here.
        await imap.RunAsync($"""
            C: a3 LOGIN {migrated} wrong-password
            S: a3 NO [AUTHENTICATIONFAILED] Authentication failed
            C: a4 LOGIN {migrated} {ImapTestMail.Password}
            S: a4 OK [CAPABILITY *
            """);
    }

    [Fact]
    public async Task LongCommandsReportTheirProgressBeforeTheirTaggedAnswer()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        api.Dispose();
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        await imap.CommandAsync("c1 CAPABILITY");
        Assert.Contains(" INPROGRESS ", await imap.ExpectLineStartsWithAsync("* CAPABILITY ") + " ");
        await imap.ExpectLineStartsWithAsync("c1 OK");
        for (var i = 1; i <= 3; i++) await ImapMessages.AppendAsync(imap, "INBOX", "", ImapMessages.Simple($"Message {i}", "body"), i);
        await imap.RunAsync("""
            C: s1 EXAMINE INBOX
            S: * FLAGS*
            S: * 3 EXISTS
            S: * *
            S: * OK [UNSEEN 1]*
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 4] Predicted next UID
            S: * OK [PERMANENTFLAGS*
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: s1 OK [READ-ONLY] EXAMINE completed
            C: q1 SEARCH BODY body
            S: * OK [INPROGRESS ("q1" 3 3)] Processed 3 of 3
            S: * SEARCH 1 2 3
            S: q1 OK SEARCH completed
            C: f1 FETCH 2:3 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])
            S: * 2 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {22}
            S: Subject: Message 2
            S: 
            S: )
            S: * 3 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {22}
            S: Subject: Message 3
            S: 
            S: )
            S: * OK [INPROGRESS ("f1" 2 2)] Processed 2 of 2
            S: f1 OK FETCH completed
            """);
    }
}
