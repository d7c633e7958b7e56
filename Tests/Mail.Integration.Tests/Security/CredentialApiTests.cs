using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Mail.Integration.Tests.Security;

/// <summary>
/// Attacks on the HTTP credentials: a stolen token after a password change or suspension, an app password or a
/// narrow API key trying to do more than it may, an expired key, a password change without the current password.
/// </summary>
public sealed class CredentialApiTests(MailHostFixture host) : IClassFixture<MailHostFixture>
{
    private const string Password = "test-password";

    [Fact]
    public async Task PasswordChangeNeedsTheCurrentPasswordAndRevokesEarlierTokens()
    {
        var (address, user) = await ApiUsers.CreateAsync(host);
        using var _ = user;
        using var stolen = WithBearer(user.DefaultRequestHeaders.Authorization!.Parameter!);

        Assert.Equal(HttpStatusCode.BadRequest, (await user.PutAsJsonAsync("/v1/account/password", new { password = "new-password-1" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await user.PutAsJsonAsync("/v1/account/password", new { current_password = "a-guess", password = "new-password-1" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await stolen.GetAsync("/v1/quota")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent,
            (await user.PutAsJsonAsync("/v1/account/password", new { current_password = Password, password = "new-password-1" })).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await stolen.GetAsync("/v1/quota")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.GetAsync("/v1/emails")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(address, Password)).StatusCode);
        using var fresh = await host.LoginAsync(address, "new-password-1");
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/v1/quota")).StatusCode);
    }

    [Fact]
    public async Task SuspensionRevokesTokensAtOnceAndResumingDoesNotRestoreThem()
    {
        var (address, user) = await ApiUsers.CreateAsync(host);
        using var _ = user;
        using var admin = host.CreateAdminClient();

        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsJsonAsync($"/v1/admin/accounts/{address}", new { suspended = true })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.GetAsync("/v1/quota")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsJsonAsync($"/v1/admin/accounts/{address}", new { suspended = false })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.GetAsync("/v1/quota")).StatusCode);
        using var again = await host.LoginAsync(address, Password);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/v1/quota")).StatusCode);
    }

    [Fact]
    public async Task AppPasswordsAndApiKeysCannotMintTokens()
    {
        var (address, user) = await ApiUsers.CreateAsync(host);
        using var _ = user;
        var appPassword = await SecretAsync(user, "/v1/account/app-passwords", new { name = "phone" });
        var apiKey = await SecretAsync(user, "/v1/account/api-keys", new { name = "ci" });

        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(address, appPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(address, apiKey)).StatusCode);
    }

    [Fact]
    public async Task SecretsAreListedWithoutTheirValuesAndARevokedOneLeavesTheList()
    {
        var (_, user) = await ApiUsers.CreateAsync(host);
        using var _ = user;
        var appPassword = await SecretAsync(user, "/v1/account/app-passwords", new { name = "phone" });
        var apiKey = await SecretAsync(user, "/v1/account/api-keys", new { name = "ci", scope = "read" });

        var listed = await user.GetStringAsync("/v1/account/secrets");
        Assert.DoesNotContain(appPassword, listed);
        Assert.DoesNotContain(apiKey, listed);
        var items = JsonDocument.Parse(listed).RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["phone", "ci"], items.Select(i => i.GetProperty("name").GetString()));
        Assert.Equal(["app-password", "api-key"], items.Select(i => i.GetProperty("kind").GetString()));
        Assert.Equal("read", items[1].GetProperty("scope").GetString());

        var revoked = await user.DeleteAsync($"/v1/account/secrets/{items[0].GetProperty("id").GetString()}");
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        var left = JsonDocument.Parse(await user.GetStringAsync("/v1/account/secrets")).RootElement.GetProperty("items");
        Assert.Equal("ci", Assert.Single(left.EnumerateArray()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task ReadKeyCannotSendAndSendKeyCannotRead()
    {
        var (address, user) = await ApiUsers.CreateAsync(host);
        using var _ = user;
        using var reader = WithKey(await SecretAsync(user, "/v1/account/api-keys", new { name = "r", scope = "read" }));
        using var sender = WithKey(await SecretAsync(user, "/v1/account/api-keys", new { name = "s", scope = "send" }));
        using var full = WithKey(await SecretAsync(user, "/v1/account/api-keys", new { name = "f", scope = "full" }));
        var message = new { to = new[] { address }, subject = "scoped", text = "x" };

        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/v1/emails")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/v1/send", message)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await sender.PostAsJsonAsync("/v1/send", message)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await sender.GetAsync("/v1/emails")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await full.GetAsync("/v1/emails")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await full.PostAsJsonAsync("/v1/send", message)).StatusCode);
        // A narrow key cannot make itself a wider one.
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/v1/account/api-keys", new { name = "x", scope = "full" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await sender.PostAsJsonAsync("/v1/account/api-keys", new { name = "x", scope = "full" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await user.PostAsJsonAsync("/v1/account/api-keys", new { name = "x", scope = "admin" })).StatusCode);
    }

    [Fact]
    public async Task ExpiredKeyIsRefused()
    {
        var (_, user) = await ApiUsers.CreateAsync(host);
        using var _ = user;
        using var key = WithKey(await SecretAsync(user, "/v1/account/api-keys", new { name = "brief", expires_at = DateTimeOffset.UtcNow.AddSeconds(2) }));

        Assert.Equal(HttpStatusCode.OK, (await key.GetAsync("/v1/quota")).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        Assert.Equal(HttpStatusCode.Unauthorized, (await key.GetAsync("/v1/quota")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest,
            (await user.PostAsJsonAsync("/v1/account/api-keys", new { name = "past", expires_at = DateTimeOffset.UtcNow.AddMinutes(-1) })).StatusCode);
    }

    private async Task<HttpResponseMessage> TokenAsync(string username, string password)
    {
        using var client = host.CreateClient();
        return await client.PostAsJsonAsync("/v1/auth/token", new { username, password });
    }

    private HttpClient WithBearer(string token)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private HttpClient WithKey(string key)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private static async Task<string> SecretAsync(HttpClient user, string path, object body)
    {
        var response = await user.PostAsJsonAsync(path, body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
    }
}
