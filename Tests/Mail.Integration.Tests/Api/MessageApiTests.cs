using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MimeKit;

namespace Mail.Integration.Tests.Api;

/// <summary>Sending, listing, reading and changing messages through the HTTP API.</summary>
public sealed class MessageApiTests(MailHostFixture host) : IClassFixture<MailHostFixture>
{
    [Fact]
    public async Task SenderKeepsASeenCopyInSentAndRecipientAnUnreadOneInInbox()
    {
        var (from, sender) = await ApiUsers.CreateAsync(host);
        var (to, recipient) = await ApiUsers.CreateAsync(host);
        var sent = await ApiUsers.SendAsync(sender, new { to = new[] { to }, subject = "hello", text = "body" });

        var sentItem = Assert.Single(await ApiUsers.ListAsync(sender, "Sent"));
        Assert.Equal(sent.GetProperty("id").GetString(), sentItem.GetProperty("id").GetString());
        Assert.False(sentItem.GetProperty("unread").GetBoolean());
        var inboxItem = Assert.Single(await ApiUsers.ListAsync(recipient));
        Assert.True(inboxItem.GetProperty("unread").GetBoolean());
        Assert.Contains(from, inboxItem.GetProperty("from").GetString());
        Assert.Equal("delivered", sent.GetProperty("recipients")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task DetailHasHeadersTextAndSanitizedHtml()
    {
        var (_, sender) = await ApiUsers.CreateAsync(host);
        var (to, recipient) = await ApiUsers.CreateAsync(host);
        await ApiUsers.SendAsync(sender, new
        {
            to = new[] { to },
            subject = "html",
            text = "plain part",
            html = "<p>Hello <b>there</b></p><script>alert('x')</script><img src=x onerror=alert(1)>",
        });
        var id = Assert.Single(await ApiUsers.ListAsync(recipient)).GetProperty("id").GetString();
        var detail = await recipient.GetFromJsonAsync<JsonElement>($"/v1/emails/{id}");

        Assert.Equal("plain part", detail.GetProperty("text").GetString()!.Trim());
        var html = detail.GetProperty("html").GetString()!;
        Assert.Contains("<b>there</b>", html);
        Assert.DoesNotContain("script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(detail.GetProperty("headers").EnumerateArray(), h => h.GetProperty("name").GetString() == "Subject" && h.GetProperty("value").GetString() == "html");
    }

    [Fact]
    public async Task RawIsTheRfc5322MessageWithItsAttachment()
    {
        var (_, sender) = await ApiUsers.CreateAsync(host);
        var (to, recipient) = await ApiUsers.CreateAsync(host);
        var content = "col1,col2\n1,2\n"u8.ToArray();
        await ApiUsers.SendAsync(sender, new
        {
            to = new[] { to },
            subject = "raw",
            text = "see attached",
            attachments = new[] { new { filename = "data.csv", content_type = "text/csv", content_base64 = Convert.ToBase64String(content) } },
        });
        var id = Assert.Single(await ApiUsers.ListAsync(recipient)).GetProperty("id").GetString();
        var raw = await recipient.GetAsync($"/v1/emails/{id}/raw");
        Assert.Equal("message/rfc822", raw.Content.Headers.ContentType?.MediaType);

        var message = await MimeMessage.LoadAsync(await raw.Content.ReadAsStreamAsync());
        Assert.Equal("raw", message.Subject);
        var part = Assert.IsAssignableFrom<MimePart>(Assert.Single(message.Attachments));
        Assert.Equal("data.csv", part.FileName);
        using var decoded = new MemoryStream();
        await part.Content!.DecodeToAsync(decoded);
        Assert.Equal(content, decoded.ToArray());
    }

    [Fact]
    public async Task RemoteRecipientIsQueuedAndVisibleUnknownLocalOneIsRejected()
    {
        var (_, sender) = await ApiUsers.CreateAsync(host);
        var result = await ApiUsers.SendAsync(sender, new { to = new[] { "someone@remote.example", "nobody-here@example.test" }, subject = "out", text = "x" });

        var outcomes = result.GetProperty("recipients").EnumerateArray().ToDictionary(r => r.GetProperty("address").GetString()!, r => r.GetProperty("status").GetString());
        Assert.Equal("queued", outcomes["someone@remote.example"]);
        Assert.Equal("rejected", outcomes["nobody-here@example.test"]);
        var queue = await sender.GetFromJsonAsync<JsonElement>("/v1/outbound");
        var row = Assert.Single(queue.EnumerateArray());
        Assert.Equal("someone@remote.example", row.GetProperty("recipient").GetString());
        Assert.Equal("queued", row.GetProperty("status").GetString());
    }

    [Fact]
    public async Task RetriedSendWithTheSameIdempotencyKeyDeliversOnce()
    {
        var (_, sender) = await ApiUsers.CreateAsync(host);
        var (to, recipient) = await ApiUsers.CreateAsync(host);
        var ids = new List<string?>();
        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/send") { Content = JsonContent.Create(new { to = new[] { to }, subject = "once", text = "x" }) };
            request.Headers.Add("Idempotency-Key", "order-4711");
            var response = await sender.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        }
        Assert.Equal(ids[0], ids[1]);
        Assert.Single(await ApiUsers.ListAsync(recipient));
        Assert.Single(await ApiUsers.ListAsync(sender, "Sent"));
    }

    [Fact]
    public async Task PagesAreNewestFirstStableAndCounted()
    {
        var (_, sender) = await ApiUsers.CreateAsync(host);
        var (to, recipient) = await ApiUsers.CreateAsync(host);
        for (var i = 0; i < 5; i++) await ApiUsers.SendAsync(sender, new { to = new[] { to }, subject = $"m{i}", text = "x" });

        var body = await recipient.GetFromJsonAsync<JsonElement>("/v1/emails?folder=INBOX&page=1&page_size=2");
        Assert.Equal(5, body.GetProperty("total").GetInt64());
        Assert.Equal(2, body.GetProperty("page_size").GetInt32());
        var subjects = new List<string>();
        for (var page = 1; page <= 3; page++)
        {
            subjects.AddRange((await ApiUsers.ListAsync(recipient, "INBOX", page, 2)).Select(i => i.GetProperty("subject").GetString()!));
        }
        Assert.Equal(["m4", "m3", "m2", "m1", "m0"], subjects);
        var bad = await recipient.GetAsync("/v1/emails?page=0");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task PatchChangesReadStateLabelsAndFolder()
    {
        var (_, sender) = await ApiUsers.CreateAsync(host);
        var (to, recipient) = await ApiUsers.CreateAsync(host);
        await ApiUsers.SendAsync(sender, new { to = new[] { to }, subject = "p", text = "x" });
        var id = Assert.Single(await ApiUsers.ListAsync(recipient)).GetProperty("id").GetString();

        var patched = await recipient.PatchAsJsonAsync($"/v1/emails/{id}", new { unread = false, flagged = true, add_labels = new[] { "work" } });
        patched.EnsureSuccessStatusCode();
        var item = await patched.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(item.GetProperty("unread").GetBoolean());
        Assert.Contains("\\Flagged", item.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(["work"], item.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!).ToArray());

        (await recipient.PatchAsJsonAsync($"/v1/emails/{id}", new { folder = "Archive" })).EnsureSuccessStatusCode();
        Assert.Empty(await ApiUsers.ListAsync(recipient));
        Assert.Equal(id, Assert.Single(await ApiUsers.ListAsync(recipient, "Archive")).GetProperty("id").GetString());
        var folders = await recipient.GetFromJsonAsync<JsonElement>("/v1/folders");
        Assert.Equal(0, folders.EnumerateArray().Single(f => f.GetProperty("name").GetString() == "INBOX").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task DeleteMovesToTrashAndDeletingFromTrashExpunges()
    {
        var (_, sender) = await ApiUsers.CreateAsync(host);
        var (to, recipient) = await ApiUsers.CreateAsync(host);
        await ApiUsers.SendAsync(sender, new { to = new[] { to }, subject = "d", text = "x" });
        var id = Assert.Single(await ApiUsers.ListAsync(recipient)).GetProperty("id").GetString();
        var quotaBefore = await recipient.GetFromJsonAsync<JsonElement>("/v1/quota");

        Assert.Equal(HttpStatusCode.OK, (await recipient.DeleteAsync($"/v1/emails/{id}")).StatusCode);
        Assert.Single(await ApiUsers.ListAsync(recipient, "Trash"));
        Assert.Equal(HttpStatusCode.NoContent, (await recipient.DeleteAsync($"/v1/emails/{id}")).StatusCode);
        Assert.Empty(await ApiUsers.ListAsync(recipient, "Trash"));
        Assert.Equal(HttpStatusCode.NotFound, (await recipient.GetAsync($"/v1/emails/{id}")).StatusCode);
        var quotaAfter = await recipient.GetFromJsonAsync<JsonElement>("/v1/quota");
        Assert.True(quotaBefore.GetProperty("used_bytes").GetInt64() > 0);
        Assert.Equal(0, quotaAfter.GetProperty("used_bytes").GetInt64());
    }

    [Fact]
    public async Task FoldersCanBeCreatedRenamedAndDeleted()
    {
        var (_, user) = await ApiUsers.CreateAsync(host);
        Assert.Equal(HttpStatusCode.Created, (await user.PostAsJsonAsync("/v1/folders", new { name = "Projects/Apollo" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await user.PostAsJsonAsync("/v1/folders", new { name = "Projects/Apollo" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await user.PostAsJsonAsync("/v1/folders", new { name = "a//b" })).StatusCode);
        (await user.PatchAsJsonAsync("/v1/folders/Projects", new { name = "Clients" })).EnsureSuccessStatusCode();
        var names = (await user.GetFromJsonAsync<JsonElement>("/v1/folders")).EnumerateArray().Select(f => f.GetProperty("name").GetString()!).ToArray();
        Assert.Contains("Clients/Apollo", names);
        Assert.DoesNotContain("Projects", names);
        Assert.Equal(HttpStatusCode.NoContent, (await user.DeleteAsync("/v1/folders/Clients")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.DeleteAsync("/v1/folders/INBOX")).StatusCode);
        names = (await user.GetFromJsonAsync<JsonElement>("/v1/folders")).EnumerateArray().Select(f => f.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(["INBOX", "Archive", "Drafts", "Junk", "Sent", "Trash"], names);
    }

    [Fact]
    public async Task QuotaCountsStoredBytesAndAFullMailboxRejectsTheRecipient()
    {
        var (_, sender) = await ApiUsers.CreateAsync(host);
        var (to, recipient) = await ApiUsers.CreateAsync(host, quotaBytes: 2_000);
        var first = await ApiUsers.SendAsync(sender, new { to = new[] { to }, subject = "fits", text = "small" });
        Assert.Equal("delivered", first.GetProperty("recipients")[0].GetProperty("status").GetString());
        var quota = await recipient.GetFromJsonAsync<JsonElement>("/v1/quota");
        var size = Assert.Single(await ApiUsers.ListAsync(recipient)).GetProperty("size").GetInt64();
        Assert.Equal(size, quota.GetProperty("used_bytes").GetInt64());
        Assert.Equal(2_000, quota.GetProperty("limit_bytes").GetInt64());

        var second = await ApiUsers.SendAsync(sender, new { to = new[] { to }, subject = "too big", text = new string('x', 3_000) });
        var outcome = second.GetProperty("recipients")[0];
        Assert.Equal("rejected", outcome.GetProperty("status").GetString());
        Assert.Contains("quota", outcome.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Single(await ApiUsers.ListAsync(recipient));
    }

    [Fact]
    public async Task AReplyJoinsTheThreadOfWhatItAnswers()
    {
        var (from, sender) = await ApiUsers.CreateAsync(host);
        var (to, recipient) = await ApiUsers.CreateAsync(host);
        var original = await ApiUsers.SendAsync(sender, new { to = new[] { to }, subject = "plan", text = "?" });
        await ApiUsers.SendAsync(recipient, new { to = new[] { from }, subject = "Re: plan", text = "!", in_reply_to = original.GetProperty("message_id").GetString() });
        await ApiUsers.SendAsync(sender, new { to = new[] { to }, subject = "other", text = "." });

        var sent = (await ApiUsers.ListAsync(sender, "Sent")).Single(i => i.GetProperty("subject").GetString() == "plan");
        var reply = (await ApiUsers.ListAsync(sender)).Single(i => i.GetProperty("subject").GetString() == "Re: plan");
        var other = (await ApiUsers.ListAsync(sender, "Sent")).Single(i => i.GetProperty("subject").GetString() == "other");
        Assert.Equal(sent.GetProperty("thread_id").GetString(), reply.GetProperty("thread_id").GetString());
        Assert.NotEqual(sent.GetProperty("thread_id").GetString(), other.GetProperty("thread_id").GetString());
    }
}
