using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mail.Integration.Tests.Webmail;

/// <summary>
/// The webmail in Debian's Chromium against the whole host: users sign in and out, exchange mail with attachments that
/// arrive without a reload, reply and forward, see a flag set over IMAP, and leave drafts that IMAP sees.
/// </summary>
public sealed class WebmailTests(MailHostFixture host, ChromiumBrowser chromium) : IClassFixture<MailHostFixture>, IClassFixture<ChromiumBrowser>
{
    private async Task<WebmailPage> OpenAsync() => new(await chromium.OpenAsync(host.BaseAddress));

    [Fact]
    public async Task AWrongPasswordIsRefusedTheRightOneOpensTheInboxAndSignOutEndsTheSession()
    {
        var (address, _) = await ApiUsers.CreateAsync(host);
        await using var web = await OpenAsync();
        var page = web.Page;
        await page.GotoAsync("/");
        await page.FillAsync("#username", address);
        await page.FillAsync("#password", "not-the-password");
        await page.ClickAsync("#login button[type=submit]");
        await Expect(page.Locator("#login-error")).ToHaveTextAsync("Wrong address or password.");

        await page.FillAsync("#password", "test-password");
        await page.ClickAsync("#login button[type=submit]");
        await Expect(page.Locator("#folders li[data-folder='INBOX']")).ToBeVisibleAsync();
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "mail_session");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Equal("/v1", cookie.Path);
        Assert.Equal(0, await page.EvaluateAsync<int>("() => localStorage.length + sessionStorage.length"));
        Assert.Equal("", await page.EvaluateAsync<string>("() => document.cookie"));

        // A reload keeps the session (the cookie), and asks the server for the CSRF token again.
        await page.ReloadAsync();
        await Expect(page.Locator("#folders")).ToBeVisibleAsync();

        await page.ClickAsync("#logout");
        await Expect(page.Locator("#login-notice")).ToHaveTextAsync("You are signed out.");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "mail_session");
        await page.ReloadAsync();
        await Expect(page.Locator("#login")).ToBeVisibleAsync();
        Assert.Empty(web.Errors);
    }

    [Fact]
    public async Task AnExpiredSessionReturnsToTheSignInFormSayingSo()
    {
        var (address, _) = await ApiUsers.CreateAsync(host);
        await using var web = await OpenAsync();
        await web.SignInAsync(address);
        await web.Page.Context.ClearCookiesAsync();
        var notice = web.Page.Locator("#login-notice");
        try
        {
            await web.Page.Locator("#folders li[data-folder='Sent'] button.folder").ClickAsync(new() { Timeout = 10_000 });
        }
        catch (TimeoutException)
        {
            // The page's own background call (live updates) met the expired session first and already left the folder
            // list; the notice below must then be showing.
        }
        await Expect(notice).ToHaveTextAsync("Your session has expired. Please sign in again.");
    }

    [Fact]
    public async Task TwoUsersExchangeAMessageWithAnAttachmentThatArrivesWithoutAReload()
    {
        var (alice, _) = await ApiUsers.CreateAsync(host);
        var (bob, _) = await ApiUsers.CreateAsync(host);
        await using var alicePage = await OpenAsync();
        await using var bobPage = await OpenAsync();
        await alicePage.SignInAsync(alice);
        await bobPage.SignInAsync(bob);

        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4 a small report " + new string('x', 5000));
        await alicePage.Page.ClickAsync("#compose");
        await alicePage.FillComposeAsync(bob, "Quarterly report", "Here it is.",
            new FilePayload { Name = "report.pdf", MimeType = "application/pdf", Buffer = pdf });
        await alicePage.SendAsync();

        // Bob's page was open all along: the message arrives in it (hub push, or the change-log poll without a hub).
        await Expect(bobPage.Row("Quarterly report")).ToBeVisibleAsync(WebmailPage.Arrival);
        await Expect(bobPage.Page.Locator("#folders li[data-folder='INBOX'] .count")).ToHaveTextAsync("1");
        await Expect(bobPage.Row("Quarterly report")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("unread"));
        await bobPage.OpenAsync("Quarterly report");
        await Expect(bobPage.Page.Locator("#reader-from")).ToContainTextAsync(alice);
        var attachment = bobPage.Page.Locator("#attachments button[data-index='0']");
        await Expect(attachment).ToHaveTextAsync("report.pdf");
        await Expect(bobPage.Page.Locator("#attachments .size")).ToHaveTextAsync("4.9 KB");
        var download = await bobPage.Page.RunAndWaitForDownloadAsync(() => attachment.ClickAsync());
        Assert.Equal("report.pdf", download.SuggestedFilename);
        Assert.Equal(pdf, await File.ReadAllBytesAsync((await download.PathAsync())!));
        await Expect(bobPage.Page.Locator("#folders li[data-folder='INBOX'] .count")).ToHaveCountAsync(0);

        await alicePage.ShowFolderAsync("Sent");
        await Expect(alicePage.Row("Quarterly report")).ToBeVisibleAsync();
        Assert.Empty(alicePage.Errors);
        Assert.Empty(bobPage.Errors);
    }

    [Fact]
    public async Task ReplyQuotesAndThreadsAndForwardCarriesTheAttachment()
    {
        var (alice, aliceApi) = await ApiUsers.CreateAsync(host);
        var (bob, bobApi) = await ApiUsers.CreateAsync(host);
        var (carol, carolApi) = await ApiUsers.CreateAsync(host);
        var sent = await ApiUsers.SendAsync(aliceApi, new
        {
            to = new[] { bob },
            cc = new[] { carol },
            subject = "Lunch plans",
            text = "Pizza at noon?",
            attachments = new[] { new { filename = "menu.txt", content_type = "text/plain", content_base64 = Convert.ToBase64String("margherita"u8.ToArray()) } },
        });
        var originalId = sent.GetProperty("message_id").GetString()!;

        await using var web = await OpenAsync();
        await web.SignInAsync(bob);
        await web.OpenAsync("Lunch plans");
        await web.Page.ClickAsync("#reply-all");
        await Expect(web.Page.Locator("#compose-to")).ToHaveValueAsync(alice);
        await Expect(web.Page.Locator("#compose-cc")).ToHaveValueAsync(carol);
        await Expect(web.Page.Locator("#compose-subject")).ToHaveValueAsync("Re: Lunch plans");
        await Expect(web.Page.Locator("#compose-text")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("> Pizza at noon\\?"));
        await web.Page.Locator("#compose-text").PressAsync("Control+Home");
        await web.Page.Locator("#compose-text").PressSequentiallyAsync("Yes!");
        await web.SendAsync();

        var reply = await WaitForAsync(aliceApi, "Re: Lunch plans");
        var detail = await aliceApi.GetFromJsonAsync<JsonElement>($"/v1/emails/{reply.GetProperty("id").GetString()}");
        Assert.Equal(originalId, detail.GetProperty("in_reply_to").GetString());
        Assert.StartsWith("Yes!", detail.GetProperty("text").GetString());
        await WaitForAsync(carolApi, "Re: Lunch plans");

        await web.Page.ClickAsync("#forward");
        await Expect(web.Page.Locator("#compose-subject")).ToHaveValueAsync("Fwd: Lunch plans");
        await Expect(web.Page.Locator(".uploads progress[aria-label='Loading menu.txt']")).ToHaveAttributeAsync("value", "1");
        await web.Page.FillAsync("#compose-to", carol);
        await web.SendAsync();
        var forwarded = await WaitForAsync(carolApi, "Fwd: Lunch plans");
        var fwd = await carolApi.GetFromJsonAsync<JsonElement>($"/v1/emails/{forwarded.GetProperty("id").GetString()}");
        Assert.Contains("Pizza at noon?", fwd.GetProperty("text").GetString());
        Assert.Equal("menu.txt", fwd.GetProperty("attachments")[0].GetProperty("filename").GetString());
        Assert.Empty(web.Errors);
    }

    [Fact]
    public async Task AFlagSetOverImapShowsInTheOpenPage()
    {
        var (address, api) = await ApiUsers.CreateAsync(host);
        await ApiUsers.SendAsync(api, new { to = new[] { address }, subject = "Flag me over IMAP", text = "x" });
        await using var web = await OpenAsync();
        await web.SignInAsync(address);
        var star = web.Row("Flag me over IMAP").Locator("button.star");
        await Expect(star).ToHaveAttributeAsync("aria-pressed", "false", new() { Timeout = 20_000 });

        using (var imap = await ImapAsync(address))
        {
            var inbox = imap.Inbox;
            await inbox.OpenAsync(FolderAccess.ReadWrite);
            var uids = await inbox.SearchAsync(SearchQuery.SubjectContains("Flag me over IMAP"));
            await inbox.AddFlagsAsync(uids, MessageFlags.Flagged, true);
            await imap.DisconnectAsync(true);
        }
        await Expect(star).ToHaveAttributeAsync("aria-pressed", "true", new() { Timeout = 20_000 });

        // And the other way: marked unread in the page, IMAP sees \Seen gone.
        await web.OpenAsync("Flag me over IMAP");
        await WaitUntilAsync(async () =>
        {
            using var check = await ImapAsync(address);
            await check.Inbox.OpenAsync(FolderAccess.ReadOnly);
            return (await check.Inbox.SearchAsync(SearchQuery.SubjectContains("Flag me over IMAP").And(SearchQuery.Seen))).Count == 1;
        }, "IMAP seeing the message read");
    }

    [Fact]
    public async Task DraftsAreSavedToDraftsWhereImapSeesThemAndSendingRemovesThem()
    {
        var (address, _) = await ApiUsers.CreateAsync(host);
        var (friend, friendApi) = await ApiUsers.CreateAsync(host);
        await using var web = await OpenAsync();
        await web.SignInAsync(address);
        await web.Page.ClickAsync("#compose");
        await web.FillComposeAsync(friend, "Half-written thoughts", "First paragraph");
        await Expect(web.Page.Locator("#draft-state")).ToContainTextAsync("Draft saved", new() { Timeout = 10_000 });

        using (var imap = await ImapAsync(address))
        {
            var drafts = await imap.GetFolderAsync("Drafts");
            await drafts.OpenAsync(FolderAccess.ReadOnly);
            var found = await drafts.SearchAsync(SearchQuery.SubjectContains("Half-written thoughts"));
            Assert.Single(found);
            var summary = (await drafts.FetchAsync(found, MessageSummaryItems.Flags)).Single();
            Assert.True(summary.Flags!.Value.HasFlag(MessageFlags.Draft));
            var message = await drafts.GetMessageAsync(found[0]);
            Assert.Contains("First paragraph", message.TextBody);
        }

        // Typing more replaces the draft (still one), then sending removes it.
        await web.Page.Locator("#compose-text").PressSequentiallyAsync(" and a second");
        await Expect(web.Page.Locator("#draft-state")).ToContainTextAsync("Draft saved", new() { Timeout = 10_000 });
        await WaitUntilAsync(async () =>
        {
            using var imap = await ImapAsync(address);
            var drafts = await imap.GetFolderAsync("Drafts");
            await drafts.OpenAsync(FolderAccess.ReadOnly);
            var found = await drafts.SearchAsync(SearchQuery.SubjectContains("Half-written thoughts"));
            return found.Count == 1 && (await drafts.GetMessageAsync(found[0])).TextBody?.Contains("and a second") == true;
        }, "one draft with the second paragraph");
        await web.SendAsync();
        await WaitForAsync(friendApi, "Half-written thoughts");
        using var after = await ImapAsync(address);
        var folder = await after.GetFolderAsync("Drafts");
        await folder.OpenAsync(FolderAccess.ReadOnly);
        Assert.Empty(await folder.SearchAsync(SearchQuery.SubjectContains("Half-written thoughts")));
    }

    [Fact]
    public async Task SelectedMessagesAreMarkedReadStarredMovedAndDeletedTogether()
    {
        var (address, api) = await ApiUsers.CreateAsync(host);
        for (var i = 0; i < 3; i++) await ApiUsers.SendAsync(api, new { to = new[] { address }, subject = $"Batch {i}", text = "x" });
        await using var web = await OpenAsync();
        await web.SignInAsync(address);
        await Expect(web.Row("Batch 2")).ToBeVisibleAsync(WebmailPage.Arrival);
        await Expect(web.Page.Locator("#message-list li.message")).ToHaveCountAsync(3);
        await web.Page.CheckAsync("#select-all");
        await web.Page.ClickAsync("#mark-read");
        await Expect(web.Page.Locator("#message-list li.message.unread")).ToHaveCountAsync(0);
        await Expect(web.Page.Locator("#folders li[data-folder='INBOX'] .count")).ToHaveCountAsync(0);
        // As in Gmail, marking keeps the selection; clear it before picking one message.
        await Expect(web.Page.Locator(".selection-count")).ToHaveTextAsync("3 selected");
        await web.Page.UncheckAsync("#select-all");
        await Expect(web.Page.Locator(".selection-count")).ToHaveCountAsync(0);

        await web.Row("Batch 0").Locator("input[type=checkbox]").CheckAsync();
        await web.Page.SelectOptionAsync("#move-to", "Archive");
        await Expect(web.Row("Batch 0")).ToHaveCountAsync(0);
        await web.Row("Batch 1").Locator("input[type=checkbox]").CheckAsync();
        await web.Page.ClickAsync("#delete");
        await Expect(web.Page.Locator("#message-list li.message")).ToHaveCountAsync(1);
        var archive = await ApiUsers.ListAsync(api, "Archive");
        Assert.Equal("Batch 0", Assert.Single(archive).GetProperty("subject").GetString());
        var trash = await ApiUsers.ListAsync(api, "Trash");
        Assert.Equal("Batch 1", Assert.Single(trash).GetProperty("subject").GetString());

        // Keyboard: j/k move, s stars, # deletes, ? shows the shortcuts.
        await web.Page.Keyboard.PressAsync("s");
        await Expect(web.Row("Batch 2").Locator("button.star")).ToHaveAttributeAsync("aria-pressed", "true");
        await web.Page.Keyboard.PressAsync("?");
        await Expect(web.Page.Locator("#shortcuts")).ToBeVisibleAsync();
        await web.Page.Keyboard.PressAsync("Escape");
        await Expect(web.Page.Locator("#shortcuts")).ToBeHiddenAsync();
        await web.Page.Keyboard.PressAsync("#");
        await Expect(web.Page.Locator("#message-list li.message")).ToHaveCountAsync(0);
        Assert.Empty(web.Errors);
    }

    /// <summary>
    /// axe-core on each main screen: no serious or critical violation. With MAIL_WEBMAIL_SCREENSHOTS set to a directory the
    /// same walk saves the README's screenshots there (light and dark, desktop and phone).
    /// </summary>
    [Fact]
    public async Task TheMainScreensHaveNoSeriousOrCriticalAccessibilityViolations()
    {
        var (address, api) = await ApiUsers.CreateAsync(host);
        var (friend, friendApi) = await ApiUsers.CreateAsync(host);
        await ApiUsers.SendAsync(friendApi, new
        {
            to = new[] { address },
            subject = "Welcome to the team",
            text = "Hello!\n\nThe onboarding notes are attached. See you on Monday.",
            html = "<h2>Hello!</h2><p>The onboarding notes are attached. See you on <b>Monday</b>.</p><p><img src=\"https://example.com/banner.png\" alt=\"banner\"></p>",
            attachments = new[] { new { filename = "onboarding.pdf", content_type = "application/pdf", content_base64 = Convert.ToBase64String(new byte[24_000]) } },
        });
        foreach (var (subject, text) in new[] { ("Lunch on Friday?", "The new place round the corner."), ("Build 4812 passed", "All 2,113 tests green."), ("Quarterly numbers", "Revenue is up 12% on the quarter.") })
        {
            await ApiUsers.SendAsync(api, new { to = new[] { address }, subject, text });
        }
        var shots = Environment.GetEnvironmentVariable("MAIL_WEBMAIL_SCREENSHOTS");
        await using var web = await OpenAsync();
        var page = web.Page;
        await page.SetViewportSizeAsync(1280, 800);

        async Task CheckAsync(string screen)
        {
            if (shots is not null) await page.ScreenshotAsync(new() { Path = Path.Combine(shots, $"webmail-{screen}.png") });
            // The app's own markup only: the message's HTML is the sender's, shown in a sandboxed frame without scripts,
            // where axe cannot run (its evaluation there never answers), so frames are left out.
            var result = await page.RunAxe(new AxeRunOptions { Iframes = false }).WaitAsync(TimeSpan.FromSeconds(90));
            var bad = result.Violations.Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{screen}: {v.Id} ({v.Impact}) {v.Help}: {string.Join(" | ", v.Nodes.Select(n => n.Html))}").ToList();
            Assert.True(bad.Count == 0, string.Join("\n", bad));
        }

        await page.GotoAsync("/");
        await Expect(page.Locator("#login")).ToBeVisibleAsync();
        await CheckAsync("login");
        await web.SignInAsync(address);
        await Expect(web.Row("Welcome to the team")).ToBeVisibleAsync(WebmailPage.Arrival);
        await CheckAsync("inbox");
        await web.OpenAsync("Welcome to the team");
        await Expect(page.Locator("#remote-notice")).ToBeVisibleAsync();
        await CheckAsync("reader");
        await page.ClickAsync("#reply");
        await Expect(page.Locator("#compose-dialog")).ToBeVisibleAsync();
        await CheckAsync("compose");
        await page.ClickAsync("#discard");
        await page.ClickAsync("#open-settings");
        await Expect(page.Locator("#settings")).ToBeVisibleAsync();
        await CheckAsync("settings");
        await page.Keyboard.PressAsync("Escape");
        if (shots is not null)
        {
            await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "webmail-dark.png") });
            await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
            await page.SetViewportSizeAsync(390, 844);
            await page.Locator("#reader .back").ClickAsync();
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "webmail-phone.png") });
        }
        Assert.Empty(web.Errors);
    }

    private async Task<ImapClient> ImapAsync(string address)
    {
        var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", host.ImapPort, SecureSocketOptions.StartTls);
        await client.AuthenticateAsync(address, "test-password");
        return client;
    }

    private static async Task<JsonElement> WaitForAsync(HttpClient api, string subject)
    {
        JsonElement found = default;
        await WaitUntilAsync(async () =>
        {
            var items = await ApiUsers.ListAsync(api);
            found = items.FirstOrDefault(i => i.GetProperty("subject").GetString() == subject);
            return found.ValueKind == JsonValueKind.Object;
        }, $"'{subject}' in the inbox");
        return found;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for {what}.");
            await Task.Delay(200);
        }
    }
}
