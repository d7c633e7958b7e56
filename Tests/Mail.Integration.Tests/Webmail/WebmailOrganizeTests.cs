using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mail.Integration.Tests.Webmail;

/// <summary>
/// The webmail's conversation view, labels, rich-text compose and vacation reply in Debian's Chromium against the whole
/// host, checked on the server through the API, IMAP and an auto-reply to mail delivered over SMTP.
/// </summary>
public sealed class WebmailOrganizeTests(MailHostFixture host, ChromiumBrowser chromium) : IClassFixture<MailHostFixture>, IClassFixture<ChromiumBrowser>
{
    private async Task<WebmailPage> OpenAsync() => new(await chromium.OpenAsync(host.BaseAddress));

    [Fact]
    public async Task ConversationsGroupAThreadIntoOneRowAndOpenItOldestFirstWithTheLastExpanded()
    {
        var (address, _) = await ApiUsers.CreateAsync(host);
        var (friend, friendApi) = await ApiUsers.CreateAsync(host);
        var first = await ApiUsers.SendAsync(friendApi, new { to = new[] { address }, subject = "Trip planning", text = "First: where shall we go?" });
        var firstId = first.GetProperty("message_id").GetString()!;
        var second = await ApiUsers.SendAsync(friendApi, new
        {
            to = new[] { address }, subject = "Re: Trip planning", text = "Second: the mountains.", in_reply_to = firstId, references = new[] { firstId },
        });
        var secondId = second.GetProperty("message_id").GetString()!;
        await ApiUsers.SendAsync(friendApi, new
        {
            to = new[] { address }, subject = "Re: Trip planning", text = "Third: booked!", in_reply_to = secondId, references = new[] { firstId, secondId },
        });
        await ApiUsers.SendAsync(friendApi, new { to = new[] { address }, subject = "Unrelated note", text = "Nothing to do with trips." });

        await using var web = await OpenAsync();
        var page = web.Page;
        await web.SignInAsync(address);
        await Expect(page.Locator("#message-list li.message")).ToHaveCountAsync(4, new() { Timeout = 20_000 });

        await page.CheckAsync("#conversations");
        var rows = page.Locator("#message-list li.message");
        await Expect(rows).ToHaveCountAsync(2);
        var thread = web.Row("Trip planning");
        await Expect(thread.Locator(".thread-count")).ToHaveTextAsync("3 messages");
        await Expect(thread).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("unread"));
        await Expect(thread.Locator(".preview")).ToContainTextAsync("Third: booked!");
        await Expect(web.Row("Unrelated note").Locator(".thread-count")).ToHaveCountAsync(0);

        await thread.Locator("button.row").ClickAsync();
        var messages = page.Locator("#thread li.thread-message");
        await Expect(messages).ToHaveCountAsync(3);
        await Expect(messages.Nth(0)).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("expanded"));
        await Expect(messages.Nth(0).Locator(".preview")).ToContainTextAsync("First: where shall we go?");
        await Expect(messages.Nth(1).Locator(".preview")).ToContainTextAsync("Second: the mountains.");
        await Expect(messages.Nth(2)).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("expanded"));
        await Expect(page.FrameLocator("#thread li.expanded #message-body").Locator("body")).ToContainTextAsync("Third: booked!");

        // Opening the conversation read all of it; another message of it expands in place of the last.
        await Expect(thread).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("unread"));
        await Expect(page.Locator("#folders li[data-folder='INBOX'] .count")).ToHaveTextAsync("1");
        await messages.Nth(0).Locator("button.thread-summary").ClickAsync();
        await Expect(messages.Nth(0)).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("expanded"));
        await Expect(page.FrameLocator("#thread li.expanded #message-body").Locator("body")).ToContainTextAsync("First: where shall we go?");

        // Off again: one row per message.
        await page.UncheckAsync("#conversations");
        await Expect(rows).ToHaveCountAsync(4);
        Assert.Empty(web.Errors);
    }

    [Fact]
    public async Task LabelsAreAddedAndRemovedOnSelectedMessagesShownAsChipsCountedAndSearchable()
    {
        var (address, api) = await ApiUsers.CreateAsync(host);
        foreach (var subject in new[] { "Hotel booking", "Flight booking", "Dentist" })
        {
            await ApiUsers.SendAsync(api, new { to = new[] { address }, subject, text = "details" });
        }
        await using var web = await OpenAsync();
        var page = web.Page;
        await web.SignInAsync(address);
        await Expect(page.Locator("#message-list li.message")).ToHaveCountAsync(3, new() { Timeout = 20_000 });

        await web.Row("Hotel booking").Locator("input[type=checkbox]").CheckAsync();
        await web.Row("Flight booking").Locator("input[type=checkbox]").CheckAsync();
        await page.ClickAsync("#label-button");
        await page.FillAsync("#new-label", "travel");
        await page.ClickAsync("#add-label");
        await Expect(page.Locator("#message-list .chip[data-label='travel']")).ToHaveCountAsync(2);
        await Expect(web.Row("Dentist").Locator(".chip")).ToHaveCountAsync(0);
        await Expect(page.Locator("#labels li[data-label='travel'] .label-count")).ToHaveTextAsync("2");
        Assert.Equal(2, await LabelTotalAsync(api, "travel"));
        // A label is an IMAP keyword: a mail program sees it.
        using (var imap = await ImapAsync(address))
        {
            await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
            Assert.Equal(2, (await imap.Inbox.SearchAsync(SearchQuery.HasKeyword("travel"))).Count);
        }

        // The label in the folder pane lists its messages (a label: search).
        await page.ClickAsync("#labels li[data-label='travel'] button.folder");
        await Expect(page.Locator(".list-title")).ToContainTextAsync("label:travel");
        await Expect(page.Locator("#message-list li.message")).ToHaveCountAsync(2, new() { Timeout = 20_000 });
        await Expect(web.Row("Dentist")).ToHaveCountAsync(0);

        // Removed with the keyboard: select one, press l, click the label (on all of them, so it comes off).
        await web.ShowFolderAsync("INBOX");
        await web.Row("Hotel booking").Locator("input[type=checkbox]").CheckAsync();
        await page.Keyboard.PressAsync("l");
        await Expect(page.Locator("#label-menu .label-toggle[data-label='travel']")).ToHaveAttributeAsync("aria-pressed", "true");
        await page.ClickAsync("#label-menu .label-toggle[data-label='travel']");
        await Expect(page.Locator("#message-list .chip[data-label='travel']")).ToHaveCountAsync(1);
        await Expect(web.Row("Hotel booking").Locator(".chip")).ToHaveCountAsync(0);
        await Expect(page.Locator("#labels li[data-label='travel'] .label-count")).ToHaveTextAsync("1");
        Assert.Equal(1, await LabelTotalAsync(api, "travel"));

        // And from the reader's chip.
        await web.Row("Hotel booking").Locator("input[type=checkbox]").UncheckAsync();
        await web.OpenAsync("Flight booking");
        await Expect(page.Locator("#reader-labels .chip[data-label='travel']")).ToBeVisibleAsync();
        await page.ClickAsync("#reader-labels button[aria-label='Remove label travel']");
        await Expect(page.Locator("#reader-labels")).ToHaveCountAsync(0);
        await Expect(page.Locator("#message-list .chip")).ToHaveCountAsync(0);
        Assert.Equal(0, await LabelTotalAsync(api, "travel"));
        Assert.Empty(web.Errors);
    }

    [Fact]
    public async Task ARichTextMessageArrivesWithItsHtmlPartAndATextVersionAndARichReplyQuotesTheOriginal()
    {
        var (address, api) = await ApiUsers.CreateAsync(host);
        var (friend, friendApi) = await ApiUsers.CreateAsync(host);
        await ApiUsers.SendAsync(friendApi, new { to = new[] { address }, subject = "A question", text = "Can you send the agenda?" });
        await using var web = await OpenAsync();
        var page = web.Page;
        await web.SignInAsync(address);

        await page.ClickAsync("#compose");
        await web.FillComposeAsync(friend, "Formatted news", null);
        await page.CheckAsync("#compose-rich");
        var editor = page.Locator("#compose-html");
        await Expect(editor).ToBeVisibleAsync();
        await editor.ClickAsync();
        await page.Keyboard.TypeAsync("Plain and ");
        await page.ClickAsync("#rich-bold");
        await page.Keyboard.TypeAsync("bold words");
        await page.ClickAsync("#rich-bold");
        await page.Keyboard.PressAsync("Enter");
        await page.ClickAsync("#rich-ul");
        await page.Keyboard.TypeAsync("first point");
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.TypeAsync("second point");
        await web.SendAsync();

        var arrived = await WaitForAsync(friendApi, "Formatted news");
        var id = arrived.GetProperty("id").GetString();
        var detail = await friendApi.GetFromJsonAsync<JsonElement>($"/v1/emails/{id}");
        var html = detail.GetProperty("html").GetString()!;
        Assert.Matches("<(b|strong)>bold words</(b|strong)>", html);
        Assert.Contains("<li>first point</li>", html);
        var text = detail.GetProperty("text").GetString()!;
        Assert.Contains("Plain and bold words", text);
        Assert.Contains("- first point", text);
        Assert.Contains("- second point", text);
        var raw = await friendApi.GetStringAsync($"/v1/emails/{id}/raw");
        Assert.Contains("multipart/alternative", raw);

        // The page remembers rich mode: a reply opens in the editor with the original quoted as a blockquote.
        await web.OpenAsync("A question");
        await page.ClickAsync("#reply");
        await Expect(page.Locator("#compose-html blockquote")).ToContainTextAsync("Can you send the agenda?");
        await page.Keyboard.TypeAsync("Attached tomorrow.");
        await web.SendAsync();
        var reply = await WaitForAsync(friendApi, "Re: A question");
        var replyDetail = await friendApi.GetFromJsonAsync<JsonElement>($"/v1/emails/{reply.GetProperty("id").GetString()}");
        var replyHtml = replyDetail.GetProperty("html").GetString()!;
        Assert.Contains("<blockquote", replyHtml);
        Assert.Contains("Can you send the agenda?", replyHtml);
        Assert.StartsWith("Attached tomorrow.", replyDetail.GetProperty("text").GetString());
        Assert.Contains("> Can you send the agenda?", replyDetail.GetProperty("text").GetString());
        Assert.Empty(web.Errors);
    }

    [Fact]
    public async Task AVacationReplyIsSavedBesideTheUsersOwnRulesAndAnswersMailDeliveredOverSmtp()
    {
        var (address, api) = await ApiUsers.CreateAsync(host);
        var (sender, senderApi) = await ApiUsers.CreateAsync(host);
        const string own = "require [\"imap4flags\"];\nif header :contains \"subject\" \"urgent\" {\n  addflag \"\\\\Flagged\";\n}\n";
        var put = await api.PutAsJsonAsync("/v1/sieve/scripts/mine", new { content = own, active = true });
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());

        await using var web = await OpenAsync();
        var page = web.Page;
        await web.SignInAsync(address);
        await page.ClickAsync("#open-settings");
        await page.CheckAsync("#vacation-on");
        await page.FillAsync("#vacation-subject", "Away until Monday");
        await page.FillAsync("#vacation-body", "I am away; back on Monday.");
        var today = await page.EvaluateAsync<string>("() => new Date().toLocaleDateString('en-CA')");
        var nextWeek = await page.EvaluateAsync<string>("() => new Date(Date.now() + 7 * 864e5).toLocaleDateString('en-CA')");
        await page.FillAsync("#vacation-start", today);
        await page.FillAsync("#vacation-end", nextWeek);
        await page.ClickAsync("#vacation-save");
        await Expect(page.Locator("#vacation-state")).ToHaveTextAsync("Vacation reply on.");

        // Stored in the active script, after its require and before the user's rule, which stays as it was.
        var script = await api.GetFromJsonAsync<JsonElement>("/v1/sieve/scripts/mine");
        Assert.True(script.GetProperty("active").GetBoolean());
        var content = script.GetProperty("content").GetString()!;
        Assert.StartsWith("require [\"imap4flags\"];\n# BEGIN webmail vacation", content);
        Assert.Matches($"currentdate :zone \"[+-][0-9]{{4}}\" :value \"ge\" \"date\" \"{today}\"", content);
        Assert.Contains($":value \"le\" \"date\" \"{nextWeek}\"", content);
        Assert.Contains("vacation :subject \"Away until Monday\" \"I am away; back on Monday.\";", content);
        Assert.EndsWith("# END webmail vacation\n" + own["require [\"imap4flags\"];\n".Length..], content);

        // Mail submitted over SMTP (the MX refuses unauthenticated mail claiming a hosted domain) gets the auto-reply, and
        // the user's own rule still flags it.
        await Filters.FilterMail.SubmitAsync(host, Filters.FilterMail.Message(sender, address, "Are you there? urgent", "Please call me."), sender);
        var auto = await WaitForAsync(senderApi, "Away until Monday");
        var reply = await senderApi.GetFromJsonAsync<JsonElement>($"/v1/emails/{auto.GetProperty("id").GetString()}");
        Assert.Contains("I am away; back on Monday.", reply.GetProperty("text").GetString());
        Assert.Contains(reply.GetProperty("headers").EnumerateArray(), h =>
            h.GetProperty("name").GetString()!.Equals("Auto-Submitted", StringComparison.OrdinalIgnoreCase) && h.GetProperty("value").GetString() == "auto-replied");
        var received = await WaitForAsync(api, "Are you there? urgent");
        Assert.Contains("\\Flagged", received.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));

        // Turned off: the block goes, the user's rule stays; the form shows what is stored when opened again.
        await page.UncheckAsync("#vacation-on");
        await page.ClickAsync("#vacation-save");
        await Expect(page.Locator("#vacation-state")).ToHaveTextAsync("Vacation reply off.");
        Assert.Equal(own, (await api.GetFromJsonAsync<JsonElement>("/v1/sieve/scripts/mine")).GetProperty("content").GetString());
        await page.ReloadAsync();
        await page.ClickAsync("#open-settings");
        await Expect(page.Locator("#sieve-script")).ToHaveValueAsync(own);
        await Expect(page.Locator("#vacation-on")).Not.ToBeCheckedAsync();
        Assert.Empty(web.Errors);
    }

    [Fact]
    public async Task SettingsListTheAccountsAppPasswordsAndApiKeysAndRevokeThem()
    {
        var (address, api) = await ApiUsers.CreateAsync(host);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/v1/account/app-passwords", new { name = "old phone" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/v1/account/api-keys", new { name = "backup script", scope = "read" })).StatusCode);

        await using var web = await OpenAsync();
        var page = web.Page;
        await web.SignInAsync(address);
        await page.ClickAsync("#open-settings");
        var apps = page.GetByRole(AriaRole.List, new() { Name = "Existing app passwords" });
        var keys = page.GetByRole(AriaRole.List, new() { Name = "Existing API keys" });
        await Expect(apps).ToContainTextAsync("old phone");
        await Expect(keys).ToContainTextAsync("“backup script” (read)");

        // Made here, it joins the list; revoked here, it leaves the list and the account.
        await page.FillAsync("#app-name", "laptop");
        await page.ClickAsync("text=Create app password");
        await Expect(apps).ToContainTextAsync("laptop");
        await apps.GetByRole(AriaRole.Button, new() { Name = "Revoke old phone" }).ClickAsync();
        await Expect(apps).Not.ToContainTextAsync("old phone");
        var left = (await api.GetFromJsonAsync<JsonElement>("/v1/account/secrets")).GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("name").GetString()).ToList();
        Assert.Equal(["backup script", "laptop"], left);
        Assert.Empty(web.Errors);
    }

    private static async Task<long> LabelTotalAsync(HttpClient api, string label)
    {
        var labels = await api.GetFromJsonAsync<JsonElement>("/v1/labels");
        return labels.GetProperty("labels").EnumerateArray().Where(l => l.GetProperty("name").GetString() == label)
            .Select(l => l.GetProperty("total").GetInt64()).FirstOrDefault();
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
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var items = await ApiUsers.ListAsync(api);
            found = items.FirstOrDefault(i => i.GetProperty("subject").GetString() == subject);
            if (found.ValueKind == JsonValueKind.Object) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for '{subject}' in the inbox.");
            await Task.Delay(200);
        }
    }
}
