using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Mail.Integration.Tests.Api;

/// <summary>The operator API: domains, accounts, suspension, deletion, aliases, secrets.</summary>
public sealed class AdminApiTests(MailHostFixture host) : IClassFixture<MailHostFixture>
{
    [Fact]
    public async Task AdminApiNeedsTheToken()
    {
        using var anonymous = host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/admin/domains")).StatusCode);
        anonymous.DefaultRequestHeaders.Add("X-Admin-Token", "guess");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/admin/domains")).StatusCode);
    }

    [Fact]
    public async Task DemoTenantIsSeededAndListed()
    {
        using var admin = host.CreateAdminClient();
        var domains = await admin.GetFromJsonAsync<JsonElement>("/v1/admin/domains");
        Assert.Contains(domains.EnumerateArray(), d => d.GetProperty("domain").GetString() == "example.test");
        var accounts = await admin.GetFromJsonAsync<JsonElement>("/v1/admin/accounts?domain=example.test&page=1&page_size=200");
        var addresses = accounts.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("address").GetString()).ToArray();
        Assert.Contains("alice@example.test", addresses);
        Assert.Contains("bob@example.test", addresses);
    }

    [Fact]
    public async Task CreatedAccountCanLogInAndIsListedWithItsQuota()
    {
        await ApiUsers.EnsureDomainAsync(host, "acme.test");
        using var admin = host.CreateAdminClient();
        var created = await admin.PostAsJsonAsync("/v1/admin/accounts", new { address = "Dora@ACME.test", password = "long-enough-pw" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var account = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("dora@acme.test", account.GetProperty("address").GetString());
        Assert.Equal(500_000_000, account.GetProperty("quota_bytes").GetInt64());
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("/v1/admin/accounts", new { address = "dora@acme.test", password = "long-enough-pw" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/v1/admin/accounts", new { address = "eve@acme.test", password = "short" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/v1/admin/accounts", new { address = "eve@unhosted.test", password = "long-enough-pw" })).StatusCode);

        using var dora = await host.LoginAsync("dora@acme.test", "long-enough-pw");
        Assert.Equal(HttpStatusCode.OK, (await dora.GetAsync("/v1/folders")).StatusCode);
        var list = await admin.GetFromJsonAsync<JsonElement>("/v1/admin/accounts?domain=acme.test&page=1&page_size=1");
        Assert.True(list.GetProperty("total").GetInt64() >= 1);
        Assert.Single(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task SuspendedAccountCannotLogInUntilResumed()
    {
        var (address, _) = await ApiUsers.CreateAsync(host);
        using var admin = host.CreateAdminClient();
        (await admin.PatchAsJsonAsync($"/v1/admin/accounts/{address}", new { suspended = true })).EnsureSuccessStatusCode();
        await Assert.ThrowsAsync<HttpRequestException>(() => host.LoginAsync(address, "test-password"));
        (await admin.PatchAsJsonAsync($"/v1/admin/accounts/{address}", new { suspended = false })).EnsureSuccessStatusCode();
        using var again = await host.LoginAsync(address, "test-password");
    }

    [Fact]
    public async Task DeletedAccountCannotLogInAndItsAddressCanBeReused()
    {
        var (address, _) = await ApiUsers.CreateAsync(host);
        using var admin = host.CreateAdminClient();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/admin/accounts/{address}")).StatusCode);
        await Assert.ThrowsAsync<HttpRequestException>(() => host.LoginAsync(address, "test-password"));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/v1/admin/accounts/{address}")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/v1/admin/accounts", new { address, password = "another-password" })).StatusCode);
        using var reborn = await host.LoginAsync(address, "another-password");
        Assert.Empty(await ApiUsers.ListAsync(reborn));
    }

    [Fact]
    public async Task AliasReceivesMailAndMayBeUsedAsFrom()
    {
        var (address, user) = await ApiUsers.CreateAsync(host);
        var alias = "sales-" + Guid.NewGuid().ToString("N")[..6] + "@example.test";
        using var admin = host.CreateAdminClient();
        (await admin.PostAsJsonAsync($"/v1/admin/accounts/{address}/aliases", new { alias })).EnsureSuccessStatusCode();
        var (_, other) = await ApiUsers.CreateAsync(host);
        await ApiUsers.SendAsync(other, new { to = new[] { alias }, subject = "to alias", text = "x" });
        Assert.Single(await ApiUsers.ListAsync(user));
        var sent = await user.PostAsJsonAsync("/v1/send", new { from = alias, to = new[] { "someone@remote.example" }, text = "from alias" });
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
    }

    [Fact]
    public async Task ApiKeySendsAndStopsWorkingWhenRevoked()
    {
        var (_, user) = await ApiUsers.CreateAsync(host);
        var created = await (await user.PostAsJsonAsync("/v1/account/api-keys", new { name = "crm" })).Content.ReadFromJsonAsync<JsonElement>();
        var key = created.GetProperty("secret").GetString()!;
        using var app = host.CreateClient();
        app.DefaultRequestHeaders.Add("X-Api-Key", key);
        Assert.Equal(HttpStatusCode.Created, (await app.PostAsJsonAsync("/v1/send", new { to = new[] { "bob@example.test" }, subject = "via key", text = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await user.DeleteAsync($"/v1/account/secrets/{created.GetProperty("id").GetString()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.GetAsync("/v1/quota")).StatusCode);
    }
}
