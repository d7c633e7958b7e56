using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using static Mail.Integration.Tests.Reputation.ReputationProbe;

namespace Mail.Integration.Tests.Reputation;

/// <summary>
/// IP pools, warm-up caps per provider, spill within a pool, stream classes, automation rules, tenant thresholds and
/// operator actions, end to end: real SMTP receivers on loopback count what arrives from each source IP.
/// </summary>
public sealed class ReputationTests(ReputationHostFixture host) : IClassFixture<ReputationHostFixture>
{
    private const int Cap = ReputationHostFixture.HourlyCap;

    [Fact]
    public async Task AWarmingIpSendsItsHourlyCapPerProviderToTheMessageAndTheRestWaitsForTheNextHour()
    {
        var gmail = host.AddProviderDomain("capsg.test", "mx-caps.gmail.test", "127.0.0.61");
        var outlook = host.AddProviderDomain("capso.test", "mx-caps.outlook.test", "127.0.0.62");
        await host.NextHourAsync();
        var (_, sender) = await SenderAsync(host, "capped.test");
        for (var i = 0; i < Cap + 2; i++) await ApiUsers.SendAsync(sender, new { to = new[] { $"g{i}@capsg.test" }, subject = $"g{i}", text = "x" });
        // One message to five recipients at one provider: three go now, two wait (the transaction is split).
        await ApiUsers.SendAsync(sender, new { to = Enumerable.Range(0, Cap + 2).Select(i => $"o{i}@capso.test").ToArray(), subject = "o", text = "x" });

        await WaitUntilAsync(async () => (await RowsAsync(sender)).Count(r => r.Text("hold_reason")?.Contains("hourly cap") == true) == 4,
            "two rows of each provider held by the hourly cap");
        await WaitUntilAsync(() => Task.FromResult(gmail.MessageCount == Cap && Recipients(outlook) == Cap), "the capped messages sent");
        await Task.Delay(1500);
        Assert.Equal(Cap, gmail.MessageCount);
        Assert.Equal(Cap, Recipients(outlook));
        var rows = await RowsAsync(sender);
        Assert.All(rows.Where(r => r.Text("status") == "delivered"), r => Assert.Equal("127.0.0.2", r.Text("source_ip")));
        Assert.All(rows.Where(r => r.Text("status") == "queued"), r => Assert.Equal(0, r.GetProperty("attempts").GetInt32()));

        using var admin = host.CreateAdminClient();
        var ip = await admin.GetFromJsonAsync<JsonElement>("/v1/admin/ips/127.0.0.2");
        var status = ip.GetProperty("status");
        Assert.Equal("warming", status.Text("state"));
        Assert.Equal(1, status.GetProperty("warmup_day").GetInt32());
        var byProvider = status.GetProperty("providers").EnumerateArray().ToDictionary(p => p.Text("provider")!);
        Assert.Equal(Cap, byProvider["gmail"].GetProperty("sent_this_hour").GetInt32());
        Assert.Equal(Cap, byProvider["gmail"].GetProperty("hourly_cap").GetInt32());
        Assert.Equal(Cap, byProvider["microsoft"].GetProperty("sent_this_hour").GetInt32());
        Assert.Equal(0, byProvider["yahoo"].GetProperty("sent_this_hour").GetInt32());

        await host.NextHourAsync();
        await WaitUntilAsync(() => Task.FromResult(gmail.MessageCount == Cap + 2 && Recipients(outlook) == Cap + 2), "the held messages sent in the next hour");
        Assert.Equal(Cap + 2, From(gmail, "127.0.0.2"));
        Assert.Equal(outlook.MessageCount, From(outlook, "127.0.0.2"));
        await WaitUntilAsync(async () => (await RowsAsync(sender)).All(r => r.Text("status") == "delivered"), "every row delivered");
    }

    [Fact]
    public async Task MailOverAWarmingIpsCapSpillsToAWarmIpOfTheSamePoolAndNeverToAnotherPool()
    {
        var gmail = host.AddProviderDomain("spillg.test", "mx-spill.gmail.test", "127.0.0.63");
        await host.NextHourAsync();
        var (_, sender) = await SenderAsync(host, "spill.test");
        for (var i = 0; i < Cap + 3; i++) await ApiUsers.SendAsync(sender, new { to = new[] { $"s{i}@spillg.test" }, subject = $"s{i}", text = "x" });

        await WaitUntilAsync(() => Task.FromResult(gmail.MessageCount == Cap + 3), "every message sent at once");
        Assert.Equal(Cap, From(gmail, "127.0.0.3"));
        Assert.Equal(3, From(gmail, "127.0.0.4"));
        await WaitUntilAsync(async () => (await RowsAsync(sender)).All(r => r.Text("status") == "delivered" && r.Text("pool") == "spill"), "rows delivered through pool spill");
    }

    [Fact]
    public async Task MarketingAndTransactionalMailOfATenantLeaveFromTheirOwnPools()
    {
        var receiver = host.AddProviderDomain("classes.test", "mx-classes.gmail.test", "127.0.0.64");
        await host.NextHourAsync();
        var (address, sender) = await SenderAsync(host, "classes-sender.test");
        await ApiUsers.SendAsync(sender, new { to = new[] { "news@classes.test" }, subject = "newsletter", text = "x", @class = "marketing" });
        await ApiUsers.SendAsync(sender, new { to = new[] { "receipt@classes.test" }, subject = "receipt", text = "x" });
        using (var smtp = new SmtpClient())
        {
            smtp.ServerCertificateValidationCallback = (_, _, _, _) => true;
            await smtp.ConnectAsync("127.0.0.1", host.SubmissionPort, SecureSocketOptions.StartTls);
            await smtp.AuthenticateAsync(address, "test-password");
            var message = new MimeMessage { Subject = "campaign" };
            message.From.Add(MailboxAddress.Parse(address));
            message.To.Add(MailboxAddress.Parse("campaign@classes.test"));
            message.Headers.Add("X-Mail-Class", "Marketing");
            message.Body = new TextPart("plain") { Text = "x" };
            await smtp.SendAsync(message);
            await smtp.DisconnectAsync(true);
        }

        await WaitUntilAsync(() => Task.FromResult(receiver.MessageCount == 3), "three messages sent");
        string SourceOf(string rcpt) => receiver.Messages.Single(m => m.Recipients.Contains(rcpt)).ClientAddress.ToString();
        Assert.Equal("127.0.0.6", SourceOf("news@classes.test"));
        Assert.Equal("127.0.0.6", SourceOf("campaign@classes.test"));
        Assert.Equal("127.0.0.5", SourceOf("receipt@classes.test"));
        var rows = (await RowsAsync(sender)).ToDictionary(r => r.Text("recipient")!);
        Assert.Equal(("marketing", "mk"), (rows["news@classes.test"].Text("stream_class"), rows["news@classes.test"].Text("pool")));
        Assert.Equal(("transactional", "tx"), (rows["receipt@classes.test"].Text("stream_class"), rows["receipt@classes.test"].Text("pool")));
        Assert.Equal("gmail", rows["receipt@classes.test"].Text("provider"));

        var refused = await sender.PostAsJsonAsync("/v1/send", new { to = new[] { "x@classes.test" }, subject = "x", text = "x", @class = "bulk" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task AnAutomationRuleSuspendsTheIpForItsProviderWithTheCausingReplyAndLetsGoWhenItExpires()
    {
        var yahoo = host.AddProviderDomain("autoy.test", "mx-auto.yahoo.test", "127.0.0.65");
        const string tss04 = "421 4.7.0 [TSS04] Messages from 127.0.0.9 temporarily deferred due to unexpected volume or user complaints";
        yahoo.Mode = ReceiverMode.DeferRecipients;
        yahoo.DeferReply = tss04;
        await host.NextHourAsync();
        var (_, sender) = await SenderAsync(host, "auto.test");
        await ApiUsers.SendAsync(sender, new { to = new[] { "a1@autoy.test" }, subject = "a1", text = "x" });
        await ApiUsers.SendAsync(sender, new { to = new[] { "a2@autoy.test" }, subject = "a2", text = "x" });

        using var admin = host.CreateAdminClient();
        JsonElement[] events = [];
        await WaitUntilAsync(async () =>
        {
            events = (await admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/reputation/events?ip=127.0.0.9"))!;
            return events.Any(e => e.Text("action") == "suspend");
        }, "the rule's suspension event");
        var fired = events.First(e => e.Text("action") == "suspend");
        Assert.Equal(("automation", "yahoo-tss04", "yahoo", "auto"), (fired.Text("source"), fired.Text("rule"), fired.Text("provider"), fired.Text("pool")));
        Assert.Contains(tss04, fired.Text("reply"));
        var status = (await admin.GetFromJsonAsync<JsonElement>("/v1/admin/ips/127.0.0.9")).GetProperty("status");
        Assert.Equal("throttled", status.Text("state"));
        var yahooStanding = status.GetProperty("providers").EnumerateArray().Single(p => p.Text("provider") == "yahoo");
        Assert.Equal("suspend", Assert.Single(yahooStanding.GetProperty("overrides").EnumerateArray()).Text("kind"));

        yahoo.Mode = ReceiverMode.Accept;
        await ApiUsers.SendAsync(sender, new { to = new[] { "a3@autoy.test" }, subject = "a3", text = "x" });
        await WaitUntilAsync(async () => (await RowsAsync(sender)).Any(r => r.Text("recipient") == "a3@autoy.test" && r.Text("hold_reason")?.Contains("yahoo-tss04") == true),
            "the new message held by the suspension");
        await Task.Delay(1000);
        Assert.Equal(0, yahoo.MessageCount);

        await host.AdvanceAsync(ReputationHostFixture.SuspendFor + TimeSpan.FromMinutes(1));
        await WaitUntilAsync(() => Task.FromResult(yahoo.MessageCount == 3), "the held and deferred messages sent once the suspension expired");
        Assert.Equal(3, From(yahoo, "127.0.0.9"));
        status = (await admin.GetFromJsonAsync<JsonElement>("/v1/admin/ips/127.0.0.9")).GetProperty("status");
        Assert.Equal("active", status.Text("state"));
    }

    [Fact]
    public async Task ATenantWhoseBounceRatePassesThePauseThresholdStopsSendingUntilAnOperatorLiftsIt()
    {
        var receiver = host.AddProviderDomain("bounce.test", "mx-bounce.gmail.test", "127.0.0.66");
        receiver.Mode = ReceiverMode.RejectRecipients;
        await host.NextHourAsync();
        var (_, sender) = await SenderAsync(host, "bouncy.test");
        for (var i = 0; i < 4; i++) await ApiUsers.SendAsync(sender, new { to = new[] { $"gone{i}@bounce.test" }, subject = $"b{i}", text = "x" });

        using var admin = host.CreateAdminClient();
        JsonElement detail = default;
        await WaitUntilAsync(async () =>
        {
            detail = await admin.GetFromJsonAsync<JsonElement>("/v1/admin/tenants/bouncy.test/reputation");
            return detail.GetProperty("standing").Text("state") == "paused";
        }, "the tenant paused by its bounce rate");
        Assert.Contains("bounce rate 100.00%", detail.GetProperty("standing").Text("reason"));
        Assert.True(detail.GetProperty("standing").GetProperty("review").GetBoolean());
        var lastHour = detail.GetProperty("counters").GetProperty("total").GetProperty("last_hour");
        Assert.Equal(4, lastHour.GetProperty("hard_bounces").GetInt64());
        Assert.Equal(1.0, lastHour.GetProperty("bounce_rate").GetDouble());
        Assert.Equal(4, Assert.Single(detail.GetProperty("domains").EnumerateArray()).GetProperty("total").GetProperty("last_day").GetProperty("sent").GetInt64());
        Assert.Contains(detail.GetProperty("events").EnumerateArray(), e => e.Text("action") == "pause" && e.Text("source") == "threshold");
        var ranked = await admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/reputation/tenants");
        Assert.Equal("bouncy.test", ranked![0].Text("tenant"));

        receiver.Mode = ReceiverMode.Accept;
        await ApiUsers.SendAsync(sender, new { to = new[] { "fine@bounce.test" }, subject = "after", text = "x" });
        await WaitUntilAsync(async () => (await RowsAsync(sender)).Any(r => r.Text("recipient") == "fine@bounce.test" && r.Text("hold_reason")?.Contains("paused") == true),
            "the tenant's new message held");
        await Task.Delay(1000);
        Assert.Equal(0, receiver.MessageCount);

        var lifted = await admin.PostAsJsonAsync("/v1/admin/tenants/bouncy.test/reputation/lift", new { note = "list cleaned" });
        lifted.EnsureSuccessStatusCode();
        Assert.Equal("ok", (await lifted.Content.ReadFromJsonAsync<JsonElement>()).Text("state"));
        await receiver.WaitForMessageAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["fine@bounce.test"], receiver.Messages.Single().Recipients);
    }

    [Fact]
    public async Task AComplaintThatComesBackLaterCountsAgainstTheTenantAndTheIpAndProviderTheMessageLeftFrom()
    {
        var receiver = host.AddProviderDomain("complain.test", "mx-complain.gmail.test", "127.0.0.68");
        var (_, sender) = await SenderAsync(host, "complainer.test");
        using var admin = host.CreateAdminClient();
        var before = await IpComplaintsAsync(admin, "127.0.0.5");
        await ApiUsers.SendAsync(sender, new { to = new[] { "annoyed@complain.test" }, subject = "offer", text = "x" });
        var received = await receiver.WaitForMessageAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("127.0.0.5", received.ClientAddress.ToString());
        await SettledAsync(sender, 1);

        // The report names no source IP: the one the queue row recorded (the default pool's 127.0.0.5) is counted.
        var report = Feedback.FeedbackProbe.ComplaintReport(received, "annoyed@complain.test", withSourceIp: false);
        await Feedback.FeedbackProbe.SendToMxAsync(host, report, "fbl@provider.test", ReputationHostFixture.FeedbackAddress);

        await WaitUntilAsync(async () =>
        {
            var detail = await admin.GetFromJsonAsync<JsonElement>("/v1/admin/tenants/complainer.test/reputation");
            return detail.GetProperty("counters").GetProperty("total").GetProperty("last_hour").GetProperty("complaints").GetInt64() == 1;
        }, "the complaint counted against the tenant");
        await WaitUntilAsync(async () => await IpComplaintsAsync(admin, "127.0.0.5") == before + 1, "the complaint counted against 127.0.0.5 × gmail");
    }

    private static async Task<long> IpComplaintsAsync(HttpClient admin, string ip)
    {
        var providers = (await admin.GetFromJsonAsync<JsonElement>($"/v1/admin/ips/{ip}")).GetProperty("counters").GetProperty("providers");
        return providers.TryGetProperty("gmail", out var gmail) ? gmail.GetProperty("last_hour").GetProperty("complaints").GetInt64() : 0;
    }

    [Fact]
    public async Task AnOperatorPauseStopsSendingFromThatIpAndAResumeSendsFromItAgain()
    {
        var gmail = host.AddProviderDomain("opsg.test", "mx-ops.gmail.test", "127.0.0.67");
        await host.NextHourAsync();
        var (_, sender) = await SenderAsync(host, "ops.test");
        using var admin = host.CreateAdminClient();
        var paused = await admin.PostAsJsonAsync("/v1/admin/ips/127.0.0.7/pause", new { reason = "blocklisted at a provider" });
        paused.EnsureSuccessStatusCode();
        Assert.Equal("paused", (await paused.Content.ReadFromJsonAsync<JsonElement>()).Text("state"));

        for (var i = 0; i < 4; i++) await ApiUsers.SendAsync(sender, new { to = new[] { $"p{i}@opsg.test" }, subject = $"p{i}", text = "x" });
        await WaitUntilAsync(() => Task.FromResult(gmail.MessageCount == 4), "four messages sent");
        Assert.Equal(4, From(gmail, "127.0.0.8"));

        (await admin.PostAsJsonAsync("/v1/admin/ips/127.0.0.8/pause", new { })).EnsureSuccessStatusCode();
        await ApiUsers.SendAsync(sender, new { to = new[] { "held@opsg.test" }, subject = "held", text = "x" });
        await WaitUntilAsync(async () => (await RowsAsync(sender)).Any(r => r.Text("recipient") == "held@opsg.test" && r.Text("hold_reason")?.Contains("paused") == true),
            "the message held while every IP of the pool is paused");
        await Task.Delay(1000);
        Assert.Equal(4, gmail.MessageCount);

        (await admin.PostAsync("/v1/admin/ips/127.0.0.7/resume", null)).EnsureSuccessStatusCode();
        await WaitUntilAsync(() => Task.FromResult(gmail.MessageCount == 5), "the held message sent after the resume");
        Assert.Equal("127.0.0.7", gmail.Messages.Single(m => m.Recipients.Contains("held@opsg.test")).ClientAddress.ToString());
        var events = await admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/reputation/events?ip=127.0.0.7");
        Assert.Equal(["resume", "pause"], events!.Select(e => e.Text("action")).Take(2));
        Assert.Equal("paused by an operator", (await admin.GetFromJsonAsync<JsonElement>("/v1/admin/ips/127.0.0.8")).GetProperty("status").Text("paused_reason"));
        (await admin.PostAsync("/v1/admin/ips/127.0.0.8/resume", null)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task OperatorsSeePoolsRulesAndProvidersAndCanMoveAnIpSetItsDayAndChangeASchedule()
    {
        using var admin = host.CreateAdminClient();
        var pools = await admin.GetFromJsonAsync<JsonElement>("/v1/admin/pools");
        Assert.True(pools.GetProperty("enabled").GetBoolean());
        Assert.Equal("tx", pools.Text("default_pool"));
        Assert.Contains(pools.GetProperty("rules").EnumerateArray(), r => r.Text("class") == "marketing" && r.Text("pool") == "mk");
        Assert.Contains(pools.GetProperty("providers").EnumerateArray(), p => p.Text("name") == "gmail" && p.GetProperty("suffixes")[0].GetString() == "gmail.test"
            && p.GetProperty("connections").GetInt32() == 5 && p.GetProperty("messages_per_connection").GetInt32() == 50);
        var capped = pools.GetProperty("pools").EnumerateArray().Single(p => p.Text("name") == "capped");
        var ip = Assert.Single(capped.GetProperty("ips").EnumerateArray());
        Assert.Equal(("127.0.0.2", Cap), (ip.Text("ip"), ip.GetProperty("hourly_cap").GetInt32()));
        Assert.Equal(["gmail", "microsoft", "other", "yahoo"], ip.GetProperty("providers").EnumerateArray().Select(p => p.Text("provider")));

        var moved = await admin.PostAsJsonAsync("/v1/admin/ips/127.0.0.10/move", new { pool = "spare" });
        moved.EnsureSuccessStatusCode();
        Assert.Equal("spare", (await moved.Content.ReadFromJsonAsync<JsonElement>()).Text("pool"));
        Assert.Equal("spare", (await admin.GetFromJsonAsync<JsonElement>("/v1/admin/ips/127.0.0.10")).GetProperty("status").Text("pool"));
        Assert.Empty((await admin.GetFromJsonAsync<JsonElement>("/v1/admin/pools/movable")).GetProperty("ips").EnumerateArray());
        Assert.Equal(2, (await admin.GetFromJsonAsync<JsonElement>("/v1/admin/pools/spare")).GetProperty("ips").GetArrayLength());

        var day = await admin.PutAsJsonAsync("/v1/admin/ips/127.0.0.11/warmup", new { day = 5 });
        day.EnsureSuccessStatusCode();
        Assert.Equal(5, (await day.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("warmup_day").GetInt32());
        var warmed = await (await admin.PutAsJsonAsync("/v1/admin/ips/127.0.0.11/warmup", new { day = (int?)null })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("active", JsonValueKind.Null), (warmed.Text("state"), warmed.GetProperty("hourly_cap").ValueKind));

        var schedule = await admin.PutAsJsonAsync("/v1/admin/pools/spare/schedule", new { start_per_hour = 50, daily_growth = 1.5 });
        schedule.EnsureSuccessStatusCode();
        var spare = await schedule.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(spare.GetProperty("schedule_changed").GetBoolean());
        Assert.Equal((50, 1.5, 24), (spare.GetProperty("schedule").GetProperty("start_per_hour").GetInt32(),
            spare.GetProperty("schedule").GetProperty("daily_growth").GetDouble(), spare.GetProperty("schedule").GetProperty("daily_cap_hours").GetInt32()));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync("/v1/admin/pools/spare/schedule", new { daily_growth = 0.5 })).StatusCode);
        var reset = await (await admin.DeleteAsync("/v1/admin/pools/spare/schedule")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((false, Cap), (reset.GetProperty("schedule_changed").GetBoolean(), reset.GetProperty("schedule").GetProperty("start_per_hour").GetInt32()));

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/v1/admin/ips/127.0.0.99")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync("/v1/admin/ips/127.0.0.2/move", new { pool = "nowhere" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/v1/admin/pools/nowhere")).StatusCode);
        using var anonymous = host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/admin/pools")).StatusCode);
    }
}
