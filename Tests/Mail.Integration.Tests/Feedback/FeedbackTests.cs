using System.Net;
using System.Text;
using Npgsql;
using System.Net.Http.Json;
using System.Text.Json;
using Mail.Integration.Tests.Outbound;

namespace Mail.Integration.Tests.Feedback;

/// <summary>
/// Complaints and asynchronous bounces that come back through the MX suppress their recipient for the sending tenant
/// and reach the tenant's webhooks signed; a suppressed address is never sent to again. Real MX over SMTP (MailKit), real
/// receivers, a real HTTP endpoint for the webhooks.
/// </summary>
public sealed class FeedbackTests(FeedbackHostFixture host) : IClassFixture<FeedbackHostFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AnArfReportAtTheFeedbackAddressSuppressesTheRecipientAndFiresASignedComplainedWebhook()
    {
        await using var endpoint = await TestWebhookReceiver.StartAsync();
        var (_, client) = await FeedbackProbe.TenantUserAsync(host, "fb-arf");
        var (_, secret) = await FeedbackProbe.RegisterWebhookAsync(client, endpoint.Url(), "complained");
        var receiver = host.AddDomain("arf-remote.test", "127.0.0.51");
        await ApiUsers.SendAsync(client, new { to = new[] { "Carol@arf-remote.test" }, subject = "newsletter", text = "buy now" });
        var received = await receiver.WaitForMessageAsync(Wait);
        await OutboundProbe.WaitForStateAsync(client, "carol@arf-remote.test", "delivered");

        var report = FeedbackProbe.ComplaintReport(received, "carol@arf-remote.test");
        await FeedbackProbe.SendToMxAsync(host, report, "fbl@provider.test", FeedbackHostFixture.FeedbackAddress);

        var request = await endpoint.WaitForAsync(r => FeedbackProbe.EventOf(r) == "complained", Wait);
        var body = FeedbackProbe.VerifiedBody(request, secret);
        Assert.Equal("fb-arf", body.GetProperty("tenant").GetString());
        var data = body.GetProperty("data");
        Assert.Equal("carol@arf-remote.test", data.GetProperty("recipient").GetString());
        Assert.Equal("fb-arf.test", data.GetProperty("sending_domain").GetString());
        Assert.Equal("abuse", data.GetProperty("feedback_type").GetString());
        Assert.Equal(received.ClientAddress.ToString(), data.GetProperty("source_ip").GetString());
        Assert.Equal("mx.arf-remote.test", data.GetProperty("remote_mta").GetString());
        Assert.Equal("complained", request.Header("X-Mail-Event"));

        var entry = await client.GetFromJsonAsync<JsonElement>("/v1/suppressions/carol@arf-remote.test");
        Assert.Equal("complaint", entry.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("expires_at").ValueKind);

        // The same report delivered again (a reporter's retry after a lost reply) is recorded once; another report counts again.
        await FeedbackProbe.SendToMxAsync(host, report, "fbl@provider.test", FeedbackHostFixture.FeedbackAddress);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(endpoint.Requests, r => FeedbackProbe.EventOf(r) == "complained");
        await FeedbackProbe.SendToMxAsync(host, FeedbackProbe.ComplaintReport(received, "carol@arf-remote.test"), "fbl@provider.test",
            FeedbackHostFixture.FeedbackAddress);
        await endpoint.WaitForAsync(r => FeedbackProbe.EventOf(r) == "complained", Wait, from: 1);
    }

    [Fact]
    public async Task AnAsyncBounceAddsAHardBounceSuppressionAndALaterSendIsSkippedAndReported()
    {
        await using var endpoint = await TestWebhookReceiver.StartAsync();
        var (_, client) = await FeedbackProbe.TenantUserAsync(host, "fb-bounce");
        var (_, secret) = await FeedbackProbe.RegisterWebhookAsync(client, endpoint.Url(), "bounced", "suppressed");
        var receiver = host.AddDomain("bounce-remote.test", "127.0.0.52");
        await ApiUsers.SendAsync(client, new { to = new[] { "gone@bounce-remote.test" }, subject = "first", text = "x" });
        var received = await receiver.WaitForMessageAsync(Wait);
        await OutboundProbe.WaitForStateAsync(client, "gone@bounce-remote.test", "delivered");

        await FeedbackProbe.SendToMxAsync(host, FeedbackProbe.Bounce(received.MailFrom, "gone@bounce-remote.test"), "", received.MailFrom);

        await OutboundProbe.WaitForStateAsync(client, "gone@bounce-remote.test", "failed");
        var bounced = FeedbackProbe.VerifiedBody(await endpoint.WaitForAsync(r => FeedbackProbe.EventOf(r) == "bounced", Wait), secret);
        Assert.True(bounced.GetProperty("data").GetProperty("suppressed").GetBoolean());
        Assert.Equal("5.1.1", bounced.GetProperty("data").GetProperty("status_code").GetString());
        var entry = await client.GetFromJsonAsync<JsonElement>("/v1/suppressions/gone@bounce-remote.test");
        Assert.Equal("hard-bounce", entry.GetProperty("reason").GetString());
        Assert.InRange(entry.GetProperty("expires_at").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddDays(29), DateTimeOffset.UtcNow.AddDays(31));

        var sent = await ApiUsers.SendAsync(client, new { to = new[] { "gone@bounce-remote.test" }, subject = "second", text = "x" });
        Assert.Equal("suppressed", Assert.Single(sent.GetProperty("recipients").EnumerateArray()).GetProperty("status").GetString());
        var row = await OutboundProbe.WaitForStateAsync(client, "gone@bounce-remote.test", "suppressed");
        Assert.Contains("hard-bounce", row.GetProperty("last_reply").GetString());
        var skipped = await endpoint.WaitForAsync(r => FeedbackProbe.EventOf(r) == "suppressed", Wait);
        Assert.Equal("gone@bounce-remote.test", FeedbackProbe.RecipientOf(skipped));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(1, receiver.MessageCount);
    }

    [Fact]
    public async Task ASynchronousPermanentRefusalOfTheAddressSuppressesItButAContentRefusalDoesNot()
    {
        var (_, client) = await FeedbackProbe.TenantUserAsync(host, "fb-sync");
        var receiver = host.AddDomain("sync-remote.test", "127.0.0.53");
        receiver.RejectRecipient("nobody@sync-remote.test");
        await ApiUsers.SendAsync(client, new { to = new[] { "nobody@sync-remote.test" }, subject = "x", text = "x" });
        await OutboundProbe.WaitForStateAsync(client, "nobody@sync-remote.test", "failed");
        Assert.Equal("hard-bounce", (await client.GetFromJsonAsync<JsonElement>("/v1/suppressions/nobody@sync-remote.test")).GetProperty("reason").GetString());

        receiver.RejectReply = "550 5.7.1 Message refused as spam";
        receiver.RejectRecipient("picky@sync-remote.test");
        await ApiUsers.SendAsync(client, new { to = new[] { "picky@sync-remote.test" }, subject = "x", text = "x" });
        await OutboundProbe.WaitForStateAsync(client, "picky@sync-remote.test", "failed");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/suppressions/picky@sync-remote.test")).StatusCode);
    }

    [Fact]
    public async Task AWebhookAnswering500IsRetriedWithBackoffUntilItSucceedsAndTheLogShowsEveryAttempt()
    {
        await using var endpoint = await TestWebhookReceiver.StartAsync();
        endpoint.AnswerNext(500, 500);
        var (_, client) = await FeedbackProbe.TenantUserAsync(host, "fb-retry");
        var (id, secret) = await FeedbackProbe.RegisterWebhookAsync(client, endpoint.Url(), "unsubscribed");

        var added = await client.PostAsJsonAsync("/v1/suppressions", new { address = "leaver@list.test", reason = "unsubscribe" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);

        var delivered = await endpoint.WaitForAsync(r => r.Answered == 200, Wait);
        var attempts = endpoint.Requests;
        Assert.Equal([500, 500, 200], attempts.Select(r => r.Answered));
        Assert.Single(attempts.Select(r => r.Header("X-Mail-Delivery")).Distinct());
        Assert.All(attempts, a => Assert.Equal(delivered.Body, a.Body));
        Assert.All(attempts, a => FeedbackProbe.VerifiedBody(a, secret));
        Assert.Equal("leaver@list.test", FeedbackProbe.VerifiedBody(delivered, secret).GetProperty("data").GetProperty("recipient").GetString());
        // Backoff from 1 s, doubling, with ±25% jitter: the gaps are at least 0.75 s and 1.5 s.
        Assert.True(attempts[1].At - attempts[0].At >= TimeSpan.FromSeconds(0.7), $"first retry after {attempts[1].At - attempts[0].At}");
        Assert.True(attempts[2].At - attempts[1].At >= TimeSpan.FromSeconds(1.4), $"second retry after {attempts[2].At - attempts[1].At}");

        JsonElement log = default;
        for (var i = 0; i < 50; i++)
        {
            log = Assert.Single((await client.GetFromJsonAsync<JsonElement[]>($"/v1/webhooks/{id}/deliveries"))!);
            if (log.GetProperty("status").GetString() == "delivered") break;
            await Task.Delay(100);
        }
        Assert.Equal("delivered", log.GetProperty("status").GetString());
        Assert.Equal(3, log.GetProperty("attempts").GetInt32());
        Assert.Equal([500, 500, 200], log.GetProperty("log").EnumerateArray().Select(a => a.GetProperty("status_code").GetInt32()));
        Assert.Contains("receiver says no", log.GetProperty("log")[0].GetProperty("error").GetString());
    }

    [Fact]
    public async Task AWebhookSecretIsStoredOnlySealedAndATamperedOneFailsItsOwnDeliveriesUnsigned()
    {
        await using var endpoint = await TestWebhookReceiver.StartAsync();
        await using var tampered = await TestWebhookReceiver.StartAsync();
        var (_, client) = await FeedbackProbe.TenantUserAsync(host, "fb-sealed");
        var (id, secret) = await FeedbackProbe.RegisterWebhookAsync(client, endpoint.Url(), "unsubscribed");
        var (badId, _) = await FeedbackProbe.RegisterWebhookAsync(client, tampered.Url(), "unsubscribed");

        await using (var db = new NpgsqlConnection(host.Database.ConnectionString))
        {
            await db.OpenAsync();
            await using var read = new NpgsqlCommand("SELECT secret, secret_sealed FROM webhooks WHERE id = @id", db);
            read.Parameters.AddWithValue("id", id);
            await using (var row = await read.ExecuteReaderAsync())
            {
                Assert.True(await row.ReadAsync());
                Assert.True(row.IsDBNull(0));
                var sealedSecret = row.GetFieldValue<byte[]>(1);
                Assert.DoesNotContain(Convert.ToHexString(Encoding.UTF8.GetBytes(secret)), Convert.ToHexString(sealedSecret));
            }
            // The first endpoint's sealed secret moved to the second row (bound to another URL) must not open there.
            await using var swap = new NpgsqlCommand("UPDATE webhooks SET secret_sealed = (SELECT secret_sealed FROM webhooks WHERE id = @id) WHERE id = @bad", db);
            swap.Parameters.AddWithValue("id", id);
            swap.Parameters.AddWithValue("bad", badId);
            Assert.Equal(1, await swap.ExecuteNonQueryAsync());
        }

        (await client.PostAsJsonAsync("/v1/suppressions", new { address = "sealed@list.test", reason = "unsubscribe" })).EnsureSuccessStatusCode();
        var delivered = await endpoint.WaitForAsync(r => FeedbackProbe.EventOf(r) == "unsubscribed", Wait);
        Assert.Equal("sealed@list.test", FeedbackProbe.VerifiedBody(delivered, secret).GetProperty("data").GetProperty("recipient").GetString());

        JsonElement log = default;
        for (var i = 0; i < 100 && log.ValueKind != JsonValueKind.Object; i++)
        {
            var deliveries = (await client.GetFromJsonAsync<JsonElement[]>($"/v1/webhooks/{badId}/deliveries"))!;
            if (deliveries.Length == 1 && deliveries[0].GetProperty("log").GetArrayLength() > 0) log = deliveries[0];
            else await Task.Delay(100);
        }
        Assert.Equal(JsonValueKind.Object, log.ValueKind);
        Assert.Contains("does not open", log.GetProperty("log")[0].GetProperty("error").GetString());
        Assert.Empty(tampered.Requests);
    }

    [Fact]
    public async Task TheSuppressionApiAddsListsPagesAndRemovesEntries()
    {
        var (_, client) = await FeedbackProbe.TenantUserAsync(host, "fb-api");
        foreach (var address in new[] { "a@list.test", "B@List.test", "c@list.test" })
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/suppressions", new { address })).StatusCode);
        }
        var expiring = await client.PostAsJsonAsync("/v1/suppressions", new { address = "d@list.test", reason = "hard-bounce" });
        Assert.Equal("hard-bounce", (await expiring.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());

        var first = await client.GetFromJsonAsync<JsonElement>("/v1/suppressions?limit=2");
        Assert.Equal(["a@list.test", "b@list.test"], first.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("address").GetString()));
        Assert.Equal("manual", first.GetProperty("items")[0].GetProperty("reason").GetString());
        var next = first.GetProperty("next").GetString();
        var second = await client.GetFromJsonAsync<JsonElement>($"/v1/suppressions?limit=2&after={next}");
        Assert.Equal(["c@list.test", "d@list.test"], second.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("address").GetString()));
        var bounces = await client.GetFromJsonAsync<JsonElement>("/v1/suppressions?reason=hard-bounce");
        Assert.Equal("d@list.test", Assert.Single(bounces.GetProperty("items").EnumerateArray()).GetProperty("address").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/v1/suppressions/B@list.test")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync("/v1/suppressions/b@list.test")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/suppressions/b@list.test")).StatusCode);

        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/v1/suppressions", new { address = "not an address" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/v1/suppressions", new { address = "e@list.test", reason = "bored" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest,
            (await client.PostAsJsonAsync("/v1/suppressions", new { address = "e@list.test", expires_at = DateTimeOffset.UtcNow.AddDays(-1) })).StatusCode);
    }

    [Fact]
    public async Task ATenantSeesAndChangesOnlyItsOwnSuppressionsAndWebhooks()
    {
        var (_, a) = await FeedbackProbe.TenantUserAsync(host, "fb-tenant-a");
        var (_, b) = await FeedbackProbe.TenantUserAsync(host, "fb-tenant-b");
        Assert.Equal(HttpStatusCode.Created, (await a.PostAsJsonAsync("/v1/suppressions", new { address = "private@list.test" })).StatusCode);
        var (hook, _) = await FeedbackProbe.RegisterWebhookAsync(a, "http://127.0.0.1:9/a-only", "sent");

        Assert.Empty((await b.GetFromJsonAsync<JsonElement>("/v1/suppressions")).GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync("/v1/suppressions/private@list.test")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.DeleteAsync("/v1/suppressions/private@list.test")).StatusCode);
        Assert.Empty((await b.GetFromJsonAsync<JsonElement[]>("/v1/webhooks"))!);
        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync($"/v1/webhooks/{hook}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync($"/v1/webhooks/{hook}/deliveries")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.DeleteAsync($"/v1/webhooks/{hook}")).StatusCode);

        Assert.Equal("manual", (await a.GetFromJsonAsync<JsonElement>("/v1/suppressions/private@list.test")).GetProperty("reason").GetString());
        Assert.Single((await a.GetFromJsonAsync<JsonElement[]>("/v1/webhooks"))!);

        // A key that may only read the mailbox may not manage the tenant's lists either.
        var key = (await (await a.PostAsJsonAsync("/v1/account/api-keys", new { name = "reader", scope = "read" })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("secret").GetString()!;
        using var reader = host.CreateClient();
        reader.DefaultRequestHeaders.Add("X-Api-Key", key);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/v1/suppressions")).StatusCode);
    }

    [Fact]
    public async Task AWebhookUrlMustBeAnAbsoluteUrlWithoutCredentialsAndEventsMustBeKnown()
    {
        var (_, client) = await FeedbackProbe.TenantUserAsync(host, "fb-validate");
        foreach (var url in new[] { "", "/relative", "ftp://example.test/hook", "https://user:pw@example.test/hook" })
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/v1/webhooks", new { url, events = new[] { "sent" } })).StatusCode);
        }
        Assert.Equal(HttpStatusCode.BadRequest,
            (await client.PostAsJsonAsync("/v1/webhooks", new { url = "https://example.test/hook", events = new[] { "opened" } })).StatusCode);
        var all = await client.PostAsJsonAsync("/v1/webhooks", new { url = "https://example.test/hook" });
        Assert.Equal(7, (await all.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("events").GetArrayLength());
    }
}
