using System.Net;
using System.Net.Http.Json;

namespace Mail.Integration.Tests.Api;

/// <summary>A tenant's users never see another tenant's data, whatever ids they try.</summary>
public sealed class TenantIsolationTests(MailHostFixture host) : IClassFixture<MailHostFixture>
{
    [Fact]
    public async Task UserOfAnotherTenantCannotReachTheseMessagesById()
    {
        await ApiUsers.EnsureDomainAsync(host, "other.test", "other");
        var (_, carol) = await ApiUsers.CreateAsync(host, "other.test");
        var (_, sender) = await ApiUsers.CreateAsync(host);
        var (to, recipient) = await ApiUsers.CreateAsync(host);
        await ApiUsers.SendAsync(sender, new
        {
            to = new[] { to },
            subject = "secret plans",
            text = "for example.test eyes only",
            attachments = new[] { new { filename = "plan.txt", content_type = "text/plain", content_base64 = Convert.ToBase64String("launch codes"u8.ToArray()) } },
        });
        var id = Assert.Single(await ApiUsers.ListAsync(recipient)).GetProperty("id").GetString();

        foreach (var folder in new[] { "INBOX", "Sent" }) Assert.Empty(await ApiUsers.ListAsync(carol, folder));
        foreach (var path in new[] { $"/v1/emails/{id}", $"/v1/emails/{id}/raw", $"/v1/emails/{id}/attachments/0" })
        {
            var response = await carol.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain("secret plans", await response.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await carol.PatchAsJsonAsync($"/v1/emails/{id}", new { folder = "Trash" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await carol.DeleteAsync($"/v1/emails/{id}")).StatusCode);
        Assert.Single(await ApiUsers.ListAsync(recipient));
    }

    [Fact]
    public async Task AUserTokenIsNotAnAdminToken()
    {
        var (_, user) = await ApiUsers.CreateAsync(host);
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.GetAsync("/v1/admin/accounts")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.PostAsJsonAsync("/v1/admin/domains", new { domain = "evil.test" })).StatusCode);
    }

    [Fact]
    public async Task CrossTenantDeliveryStoresTheRecipientsOwnCopy()
    {
        await ApiUsers.EnsureDomainAsync(host, "other.test", "other");
        var (_, carol) = await ApiUsers.CreateAsync(host, "other.test");
        var (from, sender) = await ApiUsers.CreateAsync(host);
        var carolAddress = (await carol.GetFromJsonAsync<System.Text.Json.JsonElement>("/v1/account")).GetProperty("address").GetString();
        await ApiUsers.SendAsync(sender, new { to = new[] { carolAddress }, subject = "hi carol", text = "across tenants" });
        var item = Assert.Single(await ApiUsers.ListAsync(carol));
        var detail = await carol.GetFromJsonAsync<System.Text.Json.JsonElement>($"/v1/emails/{item.GetProperty("id").GetString()}");
        Assert.Equal("across tenants", detail.GetProperty("text").GetString()!.Trim());
        Assert.Contains(from, item.GetProperty("from").GetString());
    }
}
