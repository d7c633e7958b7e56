using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MailKit;

namespace Mail.Integration.Tests.Filters;

/// <summary>Labels: many per message, PATCH add/remove, GET /v1/labels with counts, and IMAP keywords both ways.</summary>
public sealed class LabelTests(MailHostFixture host) : IClassFixture<MailHostFixture>
{
    [Fact]
    public async Task LabelsSetOverTheApiAreKeywordsInImapAndKeywordsStoredOverImapAreLabels()
    {
        var (to, user) = await ApiUsers.CreateAsync(host);
        await FilterMail.DeliverAsync(host, FilterMail.Message("nia@remote.example", to, "labelled"));
        var id = (await FilterMail.ItemsAsync(user)).Single().GetProperty("id").GetString();

        var patched = await user.PatchAsJsonAsync($"/v1/emails/{id}", new { add_labels = new[] { "Work", "Trips 2026/é" } });
        patched.EnsureSuccessStatusCode();
        Assert.Equal(["Work", "Trips 2026/é"], (await patched.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("labels").EnumerateArray().Select(l => l.GetString()));

        using var imap = await FilterMail.ImapAsync(host, to);
        await imap.Inbox.OpenAsync(FolderAccess.ReadWrite);
        var summary = (await imap.Inbox.FetchAsync(0, -1, MessageSummaryItems.Flags | MessageSummaryItems.UniqueId)).Single();
        Assert.Contains("Work", summary.Keywords);
        Assert.Contains("Trips&202026/&C3&A9", summary.Keywords);

        await imap.Inbox.StoreAsync(summary.UniqueId, new StoreFlagsRequest(StoreAction.Add, MessageFlags.None) { Keywords = { "Urgent" } });
        await imap.Inbox.StoreAsync(summary.UniqueId, new StoreFlagsRequest(StoreAction.Remove, MessageFlags.None) { Keywords = { "Work" } });
        var labels = (await FilterMail.ItemsAsync(user)).Single().GetProperty("labels").EnumerateArray().Select(l => l.GetString()!).ToArray();
        Assert.Equal(["Trips 2026/é", "Urgent"], labels.Order(StringComparer.Ordinal).ToArray());

        (await user.PatchAsJsonAsync($"/v1/emails/{id}", new { remove_labels = new[] { "Urgent" } })).EnsureSuccessStatusCode();
        await imap.Inbox.CloseAsync();
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        summary = (await imap.Inbox.FetchAsync(0, -1, MessageSummaryItems.Flags)).Single();
        Assert.DoesNotContain("Urgent", summary.Keywords);
    }

    [Fact]
    public async Task LabelListCountsTotalAndUnreadOverEveryFolder()
    {
        var (to, user) = await ApiUsers.CreateAsync(host);
        for (var i = 0; i < 3; i++) await FilterMail.DeliverAsync(host, FilterMail.Message("oli@remote.example", to, $"m{i}"));
        var ids = (await FilterMail.ItemsAsync(user)).Select(i => i.GetProperty("id").GetString()).ToArray();
        foreach (var id in ids) (await user.PatchAsJsonAsync($"/v1/emails/{id}", new { add_labels = new[] { "Receipts" } })).EnsureSuccessStatusCode();
        (await user.PatchAsJsonAsync($"/v1/emails/{ids[0]}", new { unread = false, add_labels = new[] { "Tax" }, folder = "Archive" })).EnsureSuccessStatusCode();

        var labels = (await user.GetFromJsonAsync<JsonElement>("/v1/labels")).GetProperty("labels").EnumerateArray()
            .ToDictionary(l => l.GetProperty("name").GetString()!, l => (l.GetProperty("total").GetInt64(), l.GetProperty("unread").GetInt64()));
        Assert.Equal((3L, 2L), labels["Receipts"]);
        Assert.Equal((1L, 0L), labels["Tax"]);
        Assert.Equal(2, labels.Count);
    }

    [Fact]
    public async Task ALabelStartingWithDollarIsRefused()
    {
        var (to, user) = await ApiUsers.CreateAsync(host);
        await FilterMail.DeliverAsync(host, FilterMail.Message("pat@remote.example", to, "x"));
        var id = (await FilterMail.ItemsAsync(user)).Single().GetProperty("id").GetString();
        var response = await user.PatchAsJsonAsync($"/v1/emails/{id}", new { add_labels = new[] { "$Junk" } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
