namespace Mail.Frontends.Tests.Imap;

/// <summary>
/// MULTIAPPEND (RFC 3502): several messages in one APPEND, all filed or none; CATENATE (RFC 4469): a message made of
/// text parts and IMAP URLs of messages or sections in the same account, BADURL for any other URL.
/// </summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapAppendExtensionTranscriptTests(ImapHostFixture host)
{
    private static string Literal(string text) => $"{{{System.Text.Encoding.UTF8.GetByteCount(text)}+}}\r\n{text}";

    [Fact]
    public async Task MultiappendFilesEveryMessageAndAnswersWithTheirUids()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        await imap.CommandAsync("c1 CAPABILITY");
        var capabilities = await imap.ExpectLineStartsWithAsync("* CAPABILITY ");
        Assert.Contains(" MULTIAPPEND ", capabilities + " ");
        await imap.ExpectLineStartsWithAsync("c1 OK");
        await imap.SendAsync("a1 APPEND INBOX (\\Seen) " + Literal(ImapMessages.Simple("First")) + " (\\Flagged) \"05-Mar-2025 08:09:10 +0100\" "
            + Literal(ImapMessages.Simple("Second")) + " " + Literal(ImapMessages.Simple("Third")) + "\r\n");
        var ok = await imap.ExpectLineStartsWithAsync("a1 OK [APPENDUID ");
        Assert.EndsWith(" 1:3] APPEND completed", ok);
        await imap.RunAsync("""
            C: e1 EXAMINE INBOX
            S: * FLAGS*
            S: * 3 EXISTS
            S: * 3 RECENT
            S: * OK [UNSEEN 2]*
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 4] Predicted next UID
            S: * OK [PERMANENTFLAGS*
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: e1 OK [READ-ONLY] EXAMINE completed
            C: f1 FETCH 1:3 (FLAGS INTERNALDATE BODY.PEEK[HEADER.FIELDS (SUBJECT)])
            S: * 1 FETCH (FLAGS (\Recent \Seen) INTERNALDATE *
            S: Subject: First
            S: 
            S: )
            S: * 2 FETCH (FLAGS (\Recent \Flagged) INTERNALDATE "05-Mar-2025 07:09:10 +0000" BODY[HEADER.FIELDS (SUBJECT)] {19}
            S: Subject: Second
            S: 
            S: )
            S: * 3 FETCH (FLAGS (\Recent) INTERNALDATE *
            S: Subject: Third
            S: 
            S: )
            S: f1 OK FETCH completed
            """);
    }

    [Fact]
    public async Task AMultiappendThatFailsOnOneMessageFilesNone()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        await imap.SendAsync("a1 APPEND INBOX " + Literal(ImapMessages.Simple("Kept out")) + " CATENATE (URL \"/INBOX/;UID=99\")\r\n");
        await imap.ExpectAsync("a1 NO [BADURL \"/INBOX/;UID=99\"] Bad URL /INBOX/;UID=99");
        await imap.SendAsync("a2 APPEND INBOX " + Literal(ImapMessages.Simple("Kept out")) + " {0+}\r\n\r\n");
        await imap.ExpectAsync("a2 NO Empty message");
        await imap.RunAsync("""
            C: s1 STATUS INBOX (MESSAGES UIDNEXT)
            S: * STATUS INBOX (MESSAGES 0 UIDNEXT 1)
            S: s1 OK STATUS completed
            """);
    }

    [Fact]
    public async Task CatenateJoinsTextAndSectionsOfStoredMessages()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        await ImapMessages.AppendAsync(imap, "INBOX", "", ImapMessages.Simple("Original", "Original body."), 1);
        await imap.SendAsync("a1 APPEND INBOX (\\Draft) CATENATE (URL \"/INBOX/;UID=1/;SECTION=HEADER.FIELDS%20(SUBJECT)\" TEXT "
            + Literal("New body.\r\n") + " URL \"imap://" + Uri.EscapeDataString(address) + "@localhost/INBOX/;UID=1/;SECTION=TEXT/;PARTIAL=0.8\" TEXT "
            + Literal("\r\n") + ")\r\n");
        var ok = await imap.ExpectLineStartsWithAsync("a1 OK [APPENDUID ");
        Assert.EndsWith(" 2] APPEND completed", ok);
        await imap.RunAsync("""
            C: e1 EXAMINE INBOX
            S: * FLAGS*
            S: * 2 EXISTS
            S: * 2 RECENT
            S: * OK [UNSEEN 1]*
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 3] Predicted next UID
            S: * OK [PERMANENTFLAGS*
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: e1 OK [READ-ONLY] EXAMINE completed
            C: f1 UID FETCH 2 (FLAGS BODY.PEEK[])
            S: * 2 FETCH (UID 2 FLAGS (\Recent \Draft) BODY[] {42}
            S: Subject: Original
            S: 
            S: New body.
            S: Original
            S: )
            S: f1 OK FETCH completed
            """);
    }

    [Fact]
    public async Task CatenateRefusesUrlsOutsideTheAccountOrNamingNothing()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        await ImapMessages.AppendAsync(imap, "INBOX", "", ImapMessages.Simple("Original"), 1);
        foreach (var url in new[]
                 {
                     "/INBOX;UIDVALIDITY=1/;UID=1", "/INBOX/;UID=2", "/Nowhere/;UID=1", "/INBOX/;UID=1/;SECTION=5",
                     "imap://someone-else%40example.test@localhost/INBOX/;UID=1", "/INBOX/;UID=1/;URLAUTH=anonymous:internal:00", "not a url",
                 })
        {
            await imap.SendAsync("a1 APPEND INBOX CATENATE (TEXT " + Literal("X-Head: 1\r\n") + " URL \"" + url + "\")\r\n");
            await imap.ExpectAsync($"a1 NO [BADURL \"{url}\"] Bad URL {url}");
        }
        await imap.SendAsync("a2 APPEND Nowhere CATENATE (URL \"/INBOX;UIDVALIDITY=1/;UID=1\")\r\n");
        await imap.ExpectAsync("a2 NO [TRYCREATE] Mailbox Nowhere does not exist");
        await imap.RunAsync("""
            C: s1 STATUS INBOX (MESSAGES)
            S: * STATUS INBOX (MESSAGES 1)
            S: s1 OK STATUS completed
            """);
    }
}
