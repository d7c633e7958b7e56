using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Mail.Integration.Tests.Security;

/// <summary>
/// Attacks on the HTTP transport over real sockets: a client naming its own address in X-Forwarded-For, a flood of
/// logins, bodies sized to exhaust memory, and responses a browser could be tricked into sniffing or framing; and HTTPS
/// with the development certificate. Each test connects from an address of its own (127.0.0.x), so budgets never mix.
/// </summary>
public sealed class HttpTransportTests(HttpTransportHostFixture host) : IClassFixture<HttpTransportHostFixture>
{
    [Fact]
    public async Task SpoofedForwardedForFromAnUntrustedPeerIsIgnored()
    {
        using var client = host.From("127.0.0.11");
        var user = UniqueUser();

        var response = await client.SendAsync(TokenRequest(user, "wrong-password", forwardedFor: "198.51.100.7"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(1, await host.FailuresAsync("127.0.0.11", user));
        Assert.Equal(0, await host.FailuresAsync("198.51.100.7", user));
    }

    [Fact]
    public async Task ForwardedForFromTheTrustedProxyNamesTheClient()
    {
        using var proxy = host.From(HttpTransportHostFixture.TrustedProxy);
        var user = UniqueUser();

        Assert.Equal(HttpStatusCode.Unauthorized, (await proxy.SendAsync(TokenRequest(user, "wrong-password", forwardedFor: "198.51.100.8"))).StatusCode);
        // The client put 203.0.113.9 in the header itself; only the hop the trusted proxy saw counts.
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await proxy.SendAsync(TokenRequest(user, "wrong-password", forwardedFor: "203.0.113.9, 198.51.100.9"))).StatusCode);

        Assert.Equal(1, await host.FailuresAsync("198.51.100.8", user));
        Assert.Equal(1, await host.FailuresAsync("198.51.100.9", user));
        Assert.Equal(0, await host.FailuresAsync("203.0.113.9", user));
        Assert.Equal(0, await host.FailuresAsync(HttpTransportHostFixture.TrustedProxy, user));
    }

    [Fact]
    public async Task LoginFloodGets429BeforeAnyPasswordIsChecked()
    {
        using var client = host.From("127.0.0.12");
        var user = UniqueUser();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < HttpTransportHostFixture.PerClientPerMinute + 10; i++)
        {
            statuses.Add((await client.SendAsync(TokenRequest(user, "wrong-password"))).StatusCode);
        }

        Assert.All(statuses.Take(HttpTransportHostFixture.PerClientPerMinute), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.All(statuses.Skip(HttpTransportHostFixture.PerClientPerMinute), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        // The refused requests never reached the credential check.
        Assert.Equal(HttpTransportHostFixture.PerClientPerMinute, await host.FailuresAsync("127.0.0.12", user));
    }

    [Fact]
    public async Task UnauthenticatedFloodGets429InsteadOf401()
    {
        using var client = host.From("127.0.0.13");
        client.DefaultRequestHeaders.Authorization = new("Bearer", "not.a.token");
        HttpResponseMessage? limited = null;
        for (var i = 0; i < HttpTransportHostFixture.PerClientPerMinute + 5 && limited is null; i++)
        {
            // A new forged client address every time: from an untrusted peer it changes nothing.
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/emails");
            request.Headers.Add("X-Forwarded-For", $"198.51.100.{i + 1}");
            var response = await client.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) limited = response;
            else Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.NotNull(limited);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        using var apiKey = host.From("127.0.0.13");
        apiKey.DefaultRequestHeaders.Add("X-Api-Key", "mk_forged");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await apiKey.GetAsync("/v1/quota")).StatusCode);
    }

    [Fact]
    public async Task TheTrustedProxyGetsABudgetPerForwardedClient()
    {
        using var proxy = host.From(HttpTransportHostFixture.TrustedProxy);
        HttpStatusCode last = default;
        for (var i = 0; i <= HttpTransportHostFixture.PerClientPerMinute; i++)
        {
            last = (await proxy.SendAsync(Get("/v1/quota", forwardedFor: "198.51.100.20"))).StatusCode;
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, last);
        Assert.Equal(HttpStatusCode.Unauthorized, (await proxy.SendAsync(Get("/v1/quota", forwardedFor: "198.51.100.21"))).StatusCode);
    }

    [Fact]
    public async Task HundredKilobyteTokenRequestGets413WithOrWithoutContentLength()
    {
        using var client = host.From("127.0.0.14");
        var body = JsonSerializer.Serialize(new { username = UniqueUser(), password = new string('a', 100 * 1024) });

        var declared = await client.PostAsync("/v1/auth/token", new StringContent(body, Encoding.UTF8, "application/json"));
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body)));
        chunked.Headers.ContentType = new("application/json");
        var streamed = await client.PostAsync("/v1/auth/token", chunked);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
        Assert.Equal("application/problem+json", declared.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);
    }

    [Fact]
    public async Task SendTakesAMessageWhereOtherEndpointsTakeKilobytes()
    {
        using var client = host.From("127.0.0.15");
        client.DefaultRequestHeaders.Authorization = new("Bearer", await TokenAsync(client, "alice@example.test", "demo-password"));
        var attachment = Convert.ToBase64String(new byte[100 * 1024]);

        var folder = await client.PostAsJsonAsync("/v1/folders", new { name = new string('f', 100 * 1024) });
        var send = await client.PostAsJsonAsync("/v1/send", new
        {
            to = new[] { "bob@example.test" },
            subject = "large",
            attachments = new[] { new { filename = "a.bin", content_base64 = attachment } },
        });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, folder.StatusCode);
        Assert.Equal(HttpStatusCode.Created, send.StatusCode);
    }

    [Fact]
    public async Task SecurityHeadersAreOnSuccessesErrorsAndRefusals()
    {
        using var client = host.From("127.0.0.16");
        var oversized = new StreamContent(new MemoryStream(new byte[100 * 1024]));
        oversized.Headers.ContentType = new("application/json");
        var responses = new Dictionary<string, HttpResponseMessage>
        {
            ["200 /health"] = await client.GetAsync("/health"),
            ["200 openapi"] = await client.GetAsync("/openapi/v1.json"),
            ["404"] = await client.GetAsync("/no/such/page"),
            ["401"] = await client.GetAsync("/v1/emails"),
            ["413 thrown while reading"] = await client.PostAsync("/v1/auth/token", oversized),
        };

        Assert.Equal(HttpStatusCode.OK, responses["200 /health"].StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, responses["404"].StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, responses["413 thrown while reading"].StatusCode);
        foreach (var (name, response) in responses) AssertHardened(name, response);
    }

    [Fact]
    public async Task HttpsServesTheApiWithTheDevCertificate()
    {
        string? presented = null;
        using var client = host.HttpsFrom("127.0.0.17", certificate => presented = certificate?.Thumbprint);

        var health = await client.GetAsync("/health");
        var token = await TokenAsync(client, "alice@example.test", "demo-password");
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var quota = await client.GetAsync("/v1/quota");

        Assert.Equal(host.Certificate.Certificate.Thumbprint, presented);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, quota.StatusCode);
        AssertHardened("https /health", health);
    }

    private static void AssertHardened(string name, HttpResponseMessage response)
    {
        Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var nosniff), $"{name}: no X-Content-Type-Options");
        Assert.Equal("nosniff", Assert.Single(nosniff));
        Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var csp), $"{name}: no Content-Security-Policy");
        Assert.Contains("default-src 'none'", Assert.Single(csp));
        Assert.Contains("frame-ancestors 'none'", csp.Single());
        Assert.True(response.Headers.TryGetValues("X-Frame-Options", out var frames), $"{name}: no X-Frame-Options");
        Assert.Equal("DENY", Assert.Single(frames));
        Assert.True(response.Headers.TryGetValues("Referrer-Policy", out var referrer), $"{name}: no Referrer-Policy");
        Assert.Equal("no-referrer", Assert.Single(referrer));
    }

    private static async Task<string> TokenAsync(HttpClient client, string username, string password)
    {
        var response = await client.SendAsync(TokenRequest(username, password));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    private static HttpRequestMessage TokenRequest(string username, string password, string? forwardedFor = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/auth/token") { Content = JsonContent.Create(new { username, password }) };
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
            request.Headers.Add("X-Forwarded-Proto", "https");
        }
        return request;
    }

    private static HttpRequestMessage Get(string path, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return request;
    }

    private static string UniqueUser() => $"guess{Guid.NewGuid():N}"[..17] + "@example.test";
}
