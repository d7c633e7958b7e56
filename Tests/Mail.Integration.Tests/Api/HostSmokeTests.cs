using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Mail.Integration.Tests.Api;

/// <summary>The done-when scenario of the platform: a user sends another a message with an attachment, and it survives a restart.</summary>
public sealed class SendAndReadTests(MailHostFixture host) : IClassFixture<MailHostFixture>
{
    [Fact]
    public async Task SentAttachmentArrivesByteForByteAndSurvivesRestart()
    {
        var attachment = new byte[150_000];
        Random.Shared.NextBytes(attachment);
        using var alice = await host.LoginAsync("alice@example.test");
        var send = await alice.PostAsJsonAsync("/v1/send", new
        {
            to = new[] { "bob@example.test" },
            subject = "Quarterly numbers",
            text = "Hi Bob,\nthe figures are attached.",
            attachments = new[] { new { filename = "figures.bin", content_type = "application/octet-stream", content_base64 = Convert.ToBase64String(attachment) } },
        });
        Assert.Equal(HttpStatusCode.Created, send.StatusCode);

        await AssertBobHasItAsync(attachment);
        await host.RestartAsync();
        await AssertBobHasItAsync(attachment);
    }

    private async Task AssertBobHasItAsync(byte[] attachment)
    {
        using var bob = await host.LoginAsync("bob@example.test");
        var page = await bob.GetFromJsonAsync<JsonElement>("/v1/emails?folder=INBOX&page=1&page_size=50");
        var item = Assert.Single(page.GetProperty("items").EnumerateArray(), i => i.GetProperty("subject").GetString() == "Quarterly numbers");
        Assert.True(item.GetProperty("has_attachments").GetBoolean());
        Assert.True(item.GetProperty("unread").GetBoolean());
        var id = item.GetProperty("id").GetString();
        var detail = await bob.GetFromJsonAsync<JsonElement>($"/v1/emails/{id}");
        var listed = Assert.Single(detail.GetProperty("attachments").EnumerateArray());
        Assert.Equal("figures.bin", listed.GetProperty("filename").GetString());
        var bytes = await bob.GetByteArrayAsync($"/v1/emails/{id}/attachments/0");
        Assert.Equal(attachment, bytes);
    }
}
