using System.Globalization;
using System.Text.RegularExpressions;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;

namespace Mail.Frontends.Tests.Imap;

/// <summary>
/// OBJECTID (RFC 8474: MAILBOXID kept by RENAME, EMAILID and THREADID as fetch items and search keys), SAVEDATE (RFC 8514:
/// FETCH SAVEDATE and the SAVED* search keys, set when a message is placed in a folder) and CREATE-SPECIAL-USE (RFC 6154 §3).
/// </summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapObjectIdSaveDateTests(ImapHostFixture host)
{
    private static readonly string Today = DateTime.UtcNow.ToString("d-MMM-yyyy", CultureInfo.InvariantCulture);

    [Fact]
    public async Task MailboxIdIsAnnouncedByCreateSelectStatusAndListAndSurvivesRename()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        var created = (await imap.CommandLinesAsync("c1 CREATE Projects"))[^1];
        var id = Regex.Match(created, @"^c1 OK \[MAILBOXID \(([A-Za-z0-9_-]+)\)\] CREATE completed$").Groups[1].Value;
        Assert.NotEmpty(id);
        var other = Regex.Match((await imap.CommandLinesAsync("c2 CREATE Other"))[^1], @"MAILBOXID \(([^)]+)\)").Groups[1].Value;
        Assert.NotEqual(id, other);
        Assert.Contains($"* OK [MAILBOXID ({id})] Ok", await imap.CommandLinesAsync("s1 SELECT Projects"));
        Assert.Contains($"* OK [MAILBOXID ({id})] Ok", await imap.CommandLinesAsync("e1 EXAMINE Projects"));
        await imap.CommandLinesAsync("u1 UNSELECT");
        Assert.Equal("r1 OK RENAME completed", (await imap.CommandLinesAsync("r1 RENAME Projects Work/Projects"))[^1]);
        Assert.Equal($"* STATUS Work/Projects (MESSAGES 0 MAILBOXID ({id}))", (await imap.CommandLinesAsync("st STATUS Work/Projects (MESSAGES MAILBOXID)"))[0]);
        var listed = await imap.CommandLinesAsync("l1 LIST \"\" \"Work/*\" RETURN (STATUS (MAILBOXID))");
        Assert.Contains($"* STATUS Work/Projects (MAILBOXID ({id}))", listed);
        // A folder deleted and created again under the same name is another mailbox (RFC 8474 §4).
        await imap.CommandLinesAsync("d1 DELETE Other");
        var again = Regex.Match((await imap.CommandLinesAsync("c3 CREATE Other"))[^1], @"MAILBOXID \(([^)]+)\)").Groups[1].Value;
        Assert.NotEqual(other, again);
    }

    [Fact]
    public async Task EmailIdAndThreadIdAreSearchKeys()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        await ImapMessages.AppendAsync(imap, "INBOX", "", ImapMessages.Simple("Topic"), 1);
        var reply = "From: Bob <bob@example.test>\r\nTo: Alice <alice@example.test>\r\nSubject: Re: Topic\r\nDate: Mon, 03 Feb 2025 11:00:00 +0000\r\n" +
                    "Message-ID: <reply@example.test>\r\nIn-Reply-To: <Topic@example.test>\r\nReferences: <Topic@example.test>\r\n\r\nYes.\r\n";
        await ImapMessages.AppendAsync(imap, "INBOX", "", reply, 2);
        await ImapMessages.AppendAsync(imap, "INBOX", "", ImapMessages.Simple("Unrelated"), 3);
        await imap.CommandLinesAsync("s1 SELECT INBOX");
        var ids = await imap.CommandLinesAsync("f1 FETCH 1:3 (EMAILID THREADID)");
        var parsed = ids.Take(3).Select(l => Regex.Match(l, @"EMAILID \((M\d+)\) THREADID \((T\d+)\)")).ToList();
        Assert.All(parsed, m => Assert.True(m.Success));
        Assert.Equal(parsed[0].Groups[2].Value, parsed[1].Groups[2].Value);
        Assert.NotEqual(parsed[0].Groups[2].Value, parsed[2].Groups[2].Value);
        Assert.Equal("* SEARCH 2", (await imap.CommandLinesAsync($"se1 SEARCH EMAILID {parsed[1].Groups[1].Value}"))[0]);
        Assert.Equal("* SEARCH 1 2", (await imap.CommandLinesAsync($"se2 SEARCH THREADID {parsed[0].Groups[2].Value}"))[0]);
        Assert.Equal("* SEARCH 3", (await imap.CommandLinesAsync($"se3 UID SEARCH NOT THREADID {parsed[0].Groups[2].Value}"))[0]);
        Assert.Equal("* SEARCH", (await imap.CommandLinesAsync("se4 SEARCH EMAILID M999999999"))[0]);
    }

    [Fact]
    public async Task SaveDateIsWhenTheMessageWasPlacedInTheFolderNotItsInternalDate()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        await ImapMessages.AppendAsync(imap, "INBOX", "\"01-Jan-2020 10:00:00 +0000\" ", ImapMessages.Simple("Old mail"), 1);
        Assert.Contains(" SAVEDATE", (await imap.CommandLinesAsync("c1 CAPABILITY"))[0]);
        await imap.CommandLinesAsync("s1 SELECT INBOX");
        var fetched = (await imap.CommandLinesAsync("f1 FETCH 1 (INTERNALDATE SAVEDATE)"))[0];
        var match = Regex.Match(fetched, "^\\* 1 FETCH \\(INTERNALDATE \"01-Jan-2020 10:00:00 \\+0000\" SAVEDATE \"([^\"]+)\"\\)$");
        Assert.True(match.Success, fetched);
        var saved = DateTime.ParseExact(match.Groups[1].Value[..20], "dd-MMM-yyyy HH:mm:ss", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        Assert.EndsWith(" +0000", match.Groups[1].Value);
        Assert.InRange(saved, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(1));
        Assert.Equal("* SEARCH 1", (await imap.CommandLinesAsync($"q1 SEARCH SAVEDON {Today}"))[0]);
        Assert.Equal("* SEARCH 1", (await imap.CommandLinesAsync($"q2 SEARCH SAVEDSINCE {Today} BEFORE 1-Jan-2021"))[0]);
        Assert.Equal("* SEARCH", (await imap.CommandLinesAsync($"q3 SEARCH SAVEDBEFORE {Today}"))[0]);
        Assert.Equal("* SEARCH 1", (await imap.CommandLinesAsync("q4 SEARCH SAVEDATESUPPORTED"))[0]);
        Assert.Equal("* SEARCH", (await imap.CommandLinesAsync("q5 SEARCH SAVEDSINCE 1-Jan-2100"))[0]);
        // A move places the message in another folder: its save date there is the move's, its internal date stays.
        await Task.Delay(1100);
        await imap.CommandLinesAsync("m1 MOVE 1 Archive");
        await imap.CommandLinesAsync("s2 SELECT Archive");
        var moved = Regex.Match((await imap.CommandLinesAsync("f2 FETCH 1 (INTERNALDATE SAVEDATE)"))[0], "SAVEDATE \"([^\"]+)\"").Groups[1].Value;
        Assert.NotEqual(match.Groups[1].Value, moved);
    }

    [Fact]
    public async Task MailKitReadsMailboxEmailAndThreadIdsAndSaveDates()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await ImapTestMail.DeliverAsync(host, address, "delivered");
        using var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", host.ImapPort, SecureSocketOptions.StartTls);
        await client.AuthenticateAsync(address, ImapTestMail.Password);
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.ObjectID));
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.SaveDate));
        var inbox = client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadWrite);
        Assert.False(string.IsNullOrEmpty(inbox.Id));
        var summary = (await inbox.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.EmailId | MessageSummaryItems.ThreadId | MessageSummaryItems.SaveDate))[0];
        Assert.StartsWith("M", summary.EmailId);
        Assert.StartsWith("T", summary.ThreadId);
        Assert.NotNull(summary.SaveDate);
        var found = await inbox.SearchAsync(SearchQuery.SavedSince(DateTime.UtcNow.Date.AddDays(-1)));
        Assert.Equal([summary.UniqueId], found);
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task CreateWithUseGivesTheSpecialUseAndRefusesOnesItCannotGive()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        Assert.Contains(" CREATE-SPECIAL-USE", (await imap.CommandLinesAsync("c0 CAPABILITY"))[0]);
        Assert.StartsWith("c1 OK [MAILBOXID (", (await imap.CommandLinesAsync("c1 CREATE \"Old Mail\" (USE (\\Archive))"))[^1]);
        Assert.Equal("c2 NO [USEATTR] Mailboxes cannot be created with the special use \\All",
            (await imap.CommandLinesAsync("c2 CREATE Everything (USE (\\All))"))[^1]);
        Assert.StartsWith("c3 NO [USEATTR] ", (await imap.CommandLinesAsync("c3 CREATE Both (USE (\\Sent \\Trash))"))[^1]);
        Assert.StartsWith("c4 NO [USEATTR] ", (await imap.CommandLinesAsync("c4 CREATE Stars (USE (\\Flagged))"))[^1]);
        var listed = await imap.CommandLinesAsync("l1 LIST (SPECIAL-USE) \"\" *");
        Assert.Contains("* LIST (\\HasNoChildren \\Archive) \"/\" \"Old Mail\"", listed);
        Assert.DoesNotContain(listed, l => l.Contains("Everything") || l.Contains("Both") || l.Contains("Stars"));
        Assert.Single(await imap.CommandLinesAsync("l2 LIST \"\" Everything"));
        // A folder the user made special is the user's to delete; the mailbox's own Archive stays.
        Assert.Equal("d1 OK DELETE completed", (await imap.CommandLinesAsync("d1 DELETE \"Old Mail\""))[^1]);
        Assert.StartsWith("d2 NO ", (await imap.CommandLinesAsync("d2 DELETE Archive"))[^1]);
    }
}
