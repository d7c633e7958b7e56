using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Mail.Integration.Tests.Api;

/// <summary>Bad input gets a clear RFC 7807 problem with the right status, and the host keeps serving.</summary>
public sealed class ErrorTests(MailHostFixture host) : IClassFixture<MailHostFixture>
{
    [Fact]
    public async Task RequestWithoutTokenGets401ProblemJson()
    {
        using var anonymous = host.CreateClient();
        var response = await anonymous.GetAsync("/v1/emails");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task WrongPasswordGets401AndGarbageTokenGets401()
    {
        using var anonymous = host.CreateClient();
        var login = await anonymous.PostAsJsonAsync("/v1/auth/token", new { username = "alice@example.test", password = "wrong-password" });
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        var problem = await login.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("Invalid username or password", problem.GetProperty("detail").GetString());

        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", "not.a.token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/emails")).StatusCode);
    }

    [Fact]
    public async Task MalformedJsonGets400ProblemJson()
    {
        var (_, user) = await ApiUsers.CreateAsync(host);
        var response = await user.PostAsync("/v1/send", new StringContent("{\"to\": [\"x@example.test\"", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/v1/quota")).StatusCode);
    }

    [Theory]
    [InlineData("{\"to\":[\"not an address\"],\"subject\":\"s\",\"text\":\"t\"}", "not a valid e-mail address")]
    [InlineData("{\"subject\":\"s\",\"text\":\"t\"}", "At least one recipient")]
    [InlineData("{\"to\":[\"bob@example.test\"],\"attachments\":[{\"filename\":\"a.bin\",\"content_base64\":\"***\"}]}", "not valid base64")]
    [InlineData("{\"to\":[\"bob@example.test\"],\"attachments\":[{\"content_base64\":\"AAAA\"}]}", "no filename")]
    public async Task InvalidSendGets400WithTheReason(string body, string reason)
    {
        var (_, user) = await ApiUsers.CreateAsync(host);
        var response = await user.PostAsync("/v1/send", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(reason, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task SendingAsAnotherAddressGets403()
    {
        var (_, user) = await ApiUsers.CreateAsync(host);
        var response = await user.PostAsJsonAsync("/v1/send", new { from = "alice@example.test", to = new[] { "bob@example.test" }, subject = "spoof", text = "x" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task MissingMessageGets404ProblemAndBadFolderGets404()
    {
        var (_, user) = await ApiUsers.CreateAsync(host);
        var missing = await user.GetAsync("/v1/emails/999999");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await user.GetAsync("/v1/emails?folder=NoSuchFolder")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await user.PatchAsJsonAsync("/v1/emails/999999", new { unread = false })).StatusCode);
    }

    [Fact]
    public async Task HealthIsReadyAndOpenApiDescribesTheApi()
    {
        using var client = host.CreateClient();
        var health = await client.GetFromJsonAsync<JsonElement>("/health");
        Assert.Equal("ready", health.GetProperty("status").GetString());
        var openApi = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = openApi.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/v1/send", out _));
        Assert.True(paths.TryGetProperty("/v1/emails", out _));
    }
}
