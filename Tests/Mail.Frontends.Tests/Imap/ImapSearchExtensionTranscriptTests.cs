namespace Mail.Frontends.Tests.Imap;

/// <summary>
/// WITHIN (RFC 5032: OLDER, YOUNGER), ESORT (RFC 5267 §3: SORT RETURN answered with ESEARCH, in sort order), PARTIAL
/// results (RFC 5267 §4.4) and SORT=DISPLAY (RFC 5957: DISPLAYFROM, DISPLAYTO).
/// </summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapSearchExtensionTranscriptTests(ImapHostFixture host)
{
    private static string Message(string from, string subject) =>
        $"From: {from}\r\nTo: Bob <bob@example.test>\r\nSubject: {subject}\r\nDate: Mon, 03 Feb 2025 10:00:00 +0000\r\n\r\nHi.\r\n";

    private static async Task<Mail.Frontends.Tests.Smtp.SmtpTranscript> SelectedAsync(ImapHostFixture host, params (string From, string Subject, string Date)[] messages)
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        api.Dispose();
        var imap = await ImapTestMail.LoginAsync(host, address);
        for (var i = 0; i < messages.Length; i++)
        {
            var date = messages[i].Date.Length == 0 ? "" : $"\"{messages[i].Date}\" ";
            await ImapMessages.AppendAsync(imap, "INBOX", date, Message(messages[i].From, messages[i].Subject), i + 1);
        }
        await imap.CommandAsync("s1 SELECT INBOX");
        await imap.ExpectLineStartsWithAsync("* FLAGS");
        while (!(await imap.ExpectLineStartsWithAsync("")).StartsWith("s1 OK", StringComparison.Ordinal))
        {
        }
        await imap.CommandAsync("c1 CAPABILITY");
        var capabilities = await imap.ExpectLineStartsWithAsync("* CAPABILITY ") + " ";
        foreach (var capability in new[] { " WITHIN ", " ESORT ", " SORT=DISPLAY " }) Assert.Contains(capability, capabilities);
        await imap.ExpectLineStartsWithAsync("c1 OK");
        return imap;
    }

    [Fact]
    public async Task WithinMatchesByTheAgeOfTheInternalDate()
    {
        await using var imap = await SelectedAsync(host, ("a@example.test", "Old", "05-Mar-2025 08:09:10 +0000"), ("b@example.test", "New", ""));
        await imap.RunAsync("""
            C: w1 SEARCH YOUNGER 3600
            S: * SEARCH 2
            S: w1 OK SEARCH completed
            C: w2 UID SEARCH OLDER 3600
            S: * SEARCH 1
            S: w2 OK SEARCH completed
            C: w3 SEARCH NOT OLDER 86400 YOUNGER 86400
            S: * SEARCH 2
            S: w3 OK SEARCH completed
            C: w4 SEARCH OLDER 0
            S: w4 BAD *
            """);
    }

    [Fact]
    public async Task SortWithReturnAnswersEsearchInSortOrder()
    {
        await using var imap = await SelectedAsync(host, ("c@example.test", "Cherry", ""), ("a@example.test", "Apple", ""), ("b@example.test", "Banana", ""),
            ("d@example.test", "Date", ""));
        await imap.RunAsync("""
            C: o1 SORT RETURN (MIN MAX COUNT ALL) (SUBJECT) UTF-8 ALL
            S: * ESEARCH (TAG "o1") MIN 2 MAX 4 COUNT 4 ALL 2:3,1,4
            S: o1 OK SORT completed
            C: o2 UID SORT RETURN () (REVERSE SUBJECT) UTF-8 ALL
            S: * ESEARCH (TAG "o2") UID ALL 4,1,3,2
            S: o2 OK SORT completed
            C: o3 SORT RETURN (PARTIAL 3:2) (SUBJECT) UTF-8 ALL
            S: * ESEARCH (TAG "o3") PARTIAL (2:3 3,1)
            S: o3 OK SORT completed
            C: o4 SORT RETURN (PARTIAL 5:9) (SUBJECT) UTF-8 ALL
            S: * ESEARCH (TAG "o4") PARTIAL (5:9 NIL)
            S: o4 OK SORT completed
            C: o5 SEARCH RETURN (PARTIAL 2:3 COUNT) ALL
            S: * ESEARCH (TAG "o5") COUNT 4 PARTIAL (2:3 2:3)
            S: o5 OK SEARCH completed
            C: o6 SORT RETURN (SAVE) (SUBJECT) UTF-8 1:2
            S: o6 OK SORT completed
            C: o7 FETCH $ (UID)
            S: * 1 FETCH (UID 1)
            S: * 2 FETCH (UID 2)
            S: o7 OK FETCH completed
            C: o8 SEARCH RETURN (PARTIAL 1:*) ALL
            S: o8 BAD *
            C: o9 SORT (SUBJECT) UTF-8 ALL
            S: * SORT 2 3 1 4
            S: o9 OK SORT completed
            """);
    }

    [Fact]
    public async Task SortDisplayUsesTheDisplayNameElseTheAddress()
    {
        await using var imap = await SelectedAsync(host, ("Zed <aaa@example.test>", "One", ""), ("bbb@example.test", "Two", ""),
            ("\"=?utf-8?q?Ann?=\" <zzz@example.test>", "Three", ""));
        await imap.RunAsync("""
            C: d1 SORT (DISPLAYFROM) UTF-8 ALL
            S: * SORT 3 2 1
            S: d1 OK SORT completed
            C: d2 SORT (FROM) UTF-8 ALL
            S: * SORT 1 2 3
            S: d2 OK SORT completed
            C: d3 SORT (REVERSE DISPLAYTO SUBJECT) UTF-8 ALL
            S: * SORT 1 3 2
            S: d3 OK SORT completed
            """);
    }
}
