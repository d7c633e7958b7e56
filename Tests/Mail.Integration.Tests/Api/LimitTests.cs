using System.Net;
using System.Net.Http.Json;

namespace Mail.Integration.Tests.Api;

/// <summary>A host with small limits, to show they are enforced with 413 and 429.</summary>
public sealed class LimitedHostFixture : MailHostFixture
{
    /// <inheritdoc />
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Mail:Http:MaxMessageBytes"] = "20000",
        ["Mail:Http:RateLimit:PerAccountPerMinute"] = "8",
        ["Mail:Http:MaxRecipients"] = "3",
    };
}

/// <summary>Size, recipient and rate limits of the API.</summary>
public sealed class LimitTests(LimitedHostFixture host) : IClassFixture<LimitedHostFixture>
{
    [Fact]
    public async Task OversizedMessageGets413AndNothingIsStored()
    {
        using var alice = await host.LoginAsync("alice@example.test");
        var response = await alice.PostAsJsonAsync("/v1/send", new
        {
            to = new[] { "bob@example.test" },
            subject = "big",
            attachments = new[] { new { filename = "big.bin", content_base64 = Convert.ToBase64String(new byte[30_000]) } },
        });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(await ApiUsers.ListAsync(alice, "Sent"));
    }

    [Fact]
    public async Task TooManyRecipientsGets400()
    {
        using var bob = await host.LoginAsync("bob@example.test");
        var response = await bob.PostAsJsonAsync("/v1/send", new { to = new[] { "a@x.example", "b@x.example", "c@x.example", "d@x.example" }, text = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ExceedingTheAccountRateGets429WithRetryAfter()
    {
        var (_, user) = await ApiUsers.CreateAsync(host);
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 20 && limited is null; i++)
        {
            var response = await user.GetAsync("/v1/quota");
            if (response.StatusCode == HttpStatusCode.TooManyRequests) limited = response;
        }
        Assert.NotNull(limited);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
    }
}
