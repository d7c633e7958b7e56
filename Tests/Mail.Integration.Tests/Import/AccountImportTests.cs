using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Mail.Integration.Tests.Import;

/// <summary>POST /v1/admin/accounts:import: JSON lines and CSV, streamed; bad lines reported by number, the rest created.</summary>
public sealed class AccountImportTests(MailHostFixture host) : IClassFixture<MailHostFixture>
{
    [Fact]
    public async Task JsonLinesCreatesEveryGoodLineAndReportsEachBadOneByNumber()
    {
        await ApiUsers.EnsureDomainAsync(host, "import.test");
        using (var before = host.CreateAdminClient())
        {
            (await before.PostAsJsonAsync("/v1/admin/accounts", new { address = "dup@import.test", password = "long-enough-pw" })).EnsureSuccessStatusCode();
        }
        var body = string.Join("\n",
            """{"address":"one@import.test","password":"long-enough-pw"}""",
            """{"address":"two@import.test","password":"long-enough-pw","quota_bytes":1000000}""",
            "",
            "not json",
            """{"address":"three@unhosted.test","password":"long-enough-pw"}""",
            """{"address":"four@import.test","password":"short"}""",
            """{"address":"dup@import.test","password":"long-enough-pw"}""",
            """{"address":"five@import.test","password":"long-enough-pw","colour":"red"}""",
            """{"address":"six@import.test","password":"long-enough-pw"}""");

        var result = await ImportAsync(body, "application/x-ndjson");

        Assert.Equal(3, result.GetProperty("created").GetInt64());
        Assert.Equal(5, result.GetProperty("failed").GetInt64());
        var errors = result.GetProperty("errors").EnumerateArray().ToDictionary(e => e.GetProperty("line").GetInt64(), e => e.GetProperty("error").GetString()!);
        Assert.Equal([4L, 5, 6, 7, 8], errors.Keys.Order().ToArray());
        Assert.Contains("unhosted.test", errors[5]);
        Assert.Contains("colour", errors[8]);
        using var two = await host.LoginAsync("two@import.test", "long-enough-pw");
        using var admin = host.CreateAdminClient();
        var account = await admin.GetFromJsonAsync<JsonElement>("/v1/admin/accounts/two@import.test");
        Assert.Equal(1_000_000, account.GetProperty("quota_bytes").GetInt64());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/v1/admin/accounts/six@import.test")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/v1/admin/accounts/four@import.test")).StatusCode);
    }

    [Fact]
    public async Task CsvTakesItsColumnsFromTheHeaderAndQuotedFields()
    {
        await ApiUsers.EnsureDomainAsync(host, "csv.test");
        var body = "password,address,quota_bytes\r\n" +
                   "\"pass,word \"\"quoted\"\"\",ann@csv.test,\r\n" +
                   "long-enough-pw,ben@csv.test,2000000\r\n" +
                   "long-enough-pw,cy@csv.test,lots\r\n" +
                   "\"unclosed,dee@csv.test,\r\n";

        var result = await ImportAsync(body, "text/csv");

        Assert.Equal(2, result.GetProperty("created").GetInt64());
        Assert.Equal([4L, 5], result.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("line").GetInt64()).ToArray());
        using var ann = await host.LoginAsync("ann@csv.test", "pass,word \"quoted\"");
        using var admin = host.CreateAdminClient();
        Assert.Equal(2_000_000, (await admin.GetFromJsonAsync<JsonElement>("/v1/admin/accounts/ben@csv.test")).GetProperty("quota_bytes").GetInt64());
    }

    [Fact]
    public async Task AnOverlongLineIsOneErrorAndTheNextLinesStillCount()
    {
        await ApiUsers.EnsureDomainAsync(host, "long.test");
        var body = $$"""{"address":"x@long.test","password":"{{new string('p', 10_000)}}"}""" + "\n" +
                   """{"address":"after@long.test","password":"long-enough-pw"}""" + "\n";

        var result = await ImportAsync(body, "application/x-ndjson");

        Assert.Equal(1, result.GetProperty("created").GetInt64());
        var error = Assert.Single(result.GetProperty("errors").EnumerateArray());
        Assert.Equal(1, error.GetProperty("line").GetInt64());
        Assert.Contains("longer than", error.GetProperty("error").GetString());
    }

    [Fact]
    public async Task PasswordHashLinesLogInWithTheirPasswordAndDuplicatesAreReportedByLine()
    {
        await ApiUsers.EnsureDomainAsync(host, "hashed.test");
        // An Argon2id PHC string made elsewhere, at other costs than the server's (as a Dovecot export carries them).
        var hash = await new Mail.Grains.Accounts.PasswordHasher(new Mail.Grains.Accounts.PasswordHashingOptions { MemoryKib = 2048, Iterations = 2 })
            .HashAsync("migrated-password");
        var body = string.Join("\n",
            $$"""{"address":"h1@hashed.test","password_hash":"{{hash}}"}""",
            $$"""{"address":"h2@hashed.test","password_hash":"{ARGON2ID}{{hash}}","quota_bytes":3000000}""",
            """{"address":"h3@hashed.test","password_hash":"{SHA512-CRYPT}$6$salt$abc"}""",
            $$"""{"address":"H1@hashed.test","password_hash":"{{hash}}"}""",
            """{"address":"h4@hashed.test","password":"long-enough-pw"}""");

        var result = await ImportAsync(body, "application/x-ndjson");

        Assert.Equal(3, result.GetProperty("created").GetInt64());
        var errors = result.GetProperty("errors").EnumerateArray().ToDictionary(e => e.GetProperty("line").GetInt64(), e => e.GetProperty("error").GetString()!);
        Assert.Equal([3L, 4], errors.Keys.Order().ToArray());
        Assert.Contains("Argon2id", errors[3]);
        Assert.Contains("already in use", errors[4]);
        using var h1 = await host.LoginAsync("h1@hashed.test", "migrated-password");
        using var h2 = await host.LoginAsync("h2@hashed.test", "migrated-password");
        using var h4 = await host.LoginAsync("h4@hashed.test", "long-enough-pw");
        using var anonymous = host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await anonymous.PostAsJsonAsync("/v1/auth/token", new { username = "h1@hashed.test", password = "not-the-password" })).StatusCode);
        using var admin = host.CreateAdminClient();
        Assert.Equal(3_000_000, (await admin.GetFromJsonAsync<JsonElement>("/v1/admin/accounts/h2@hashed.test")).GetProperty("quota_bytes").GetInt64());
    }

    [Fact]
    public async Task ImportNeedsTheAdminTokenAndAKnownMediaType()
    {
        using var anonymous = host.CreateClient();
        var refused = await anonymous.PostAsync("/v1/admin/accounts:import", new StringContent("{}", Encoding.UTF8, "application/x-ndjson"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using var admin = host.CreateAdminClient();
        var wrongType = await admin.PostAsync("/v1/admin/accounts:import", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
    }

    private async Task<JsonElement> ImportAsync(string body, string mediaType)
    {
        using var admin = host.CreateAdminClient();
        // Streamed as the operator's tool would send a large file: chunked, no Content-Length.
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body)));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/admin/accounts:import") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await admin.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
