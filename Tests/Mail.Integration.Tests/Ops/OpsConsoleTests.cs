using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mail.Frontends.Http.OpsConsole;
using Mail.Integration.Tests.Reputation;
using static Mail.Integration.Tests.Reputation.ReputationProbe;
using static Microsoft.Playwright.Assertions;

namespace Mail.Integration.Tests.Ops;

/// <summary>
/// The operator console at /ops in Debian's Chromium against the whole host, with the reputation fixture's pools of loopback
/// source IPs and fake providers: logging in, the per-IP charts holding what the API reports after real sends, automation
/// events with their replies, tenants ranked, and operators' actions clicked in the page taking effect on real sending.
/// </summary>
public sealed class OpsConsoleTests(ReputationHostFixture host, ChromiumBrowser chromium) : IClassFixture<ReputationHostFixture>, IClassFixture<ChromiumBrowser>
{
    [Fact]
    public async Task AWrongTokenIsRefusedAndTheAdminTokenShowsEveryPoolUntilLogout()
    {
        using (var client = host.CreateClient())
        {
            var served = await client.GetAsync("/ops/");
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            Assert.Equal(new OpsConsoleOptions().ContentSecurityPolicy, served.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/ops/js/missing.js")).StatusCode);
            var script = await client.GetAsync("/ops/vendor/chart.umd.js");
            Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
            Assert.Contains("Chart.js v4.6.1", await script.Content.ReadAsStringAsync());
            using var revalidate = new HttpRequestMessage(HttpMethod.Get, "/ops/vendor/chart.umd.js");
            revalidate.Headers.IfNoneMatch.Add(script.Headers.ETag!);
            Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(revalidate)).StatusCode);
        }

        await using var browser = await chromium.OpenAsync(host.BaseAddress);
        var ops = new OpsConsolePage(browser);
        var page = ops.Page;
        await page.GotoAsync("/ops");
        await Expect(page.Locator("#login")).ToBeVisibleAsync();
        await ops.LogInAsync("not-the-admin-token-but-just-as-long-as-one");
        await Expect(page.Locator("#login-error")).ToHaveTextAsync("That is not the admin token.");
        await Expect(page.Locator("#console")).ToBeHiddenAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('mail.ops.adminToken')"));

        await ops.LogInAsync(host.AdminToken);
        await Expect(page.Locator("#console")).ToBeVisibleAsync();
        await Expect(page.Locator("#pools article[data-pool='ops'] button[data-ip='127.0.0.8']")).ToBeVisibleAsync();
        using var admin = host.CreateAdminClient();
        var pools = (await admin.GetFromJsonAsync<JsonElement>("/v1/admin/pools")).GetProperty("pools").EnumerateArray().ToArray();
        Assert.Equal(pools.Select(p => p.Text("name")), await page.Locator("#pools article.pool").EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.pool)"));
        Assert.Equal(pools.SelectMany(p => p.GetProperty("ips").EnumerateArray().Select(ip => ip.Text("ip"))),
            await page.Locator("#pools tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.ip)"));
        Assert.Equal(host.AdminToken, await page.EvaluateAsync<string?>("() => sessionStorage.getItem('mail.ops.adminToken')"));
        Assert.Equal(0, await page.EvaluateAsync<int>("() => localStorage.length"));

        await page.ReloadAsync();
        await Expect(page.Locator("#console")).ToBeVisibleAsync();
        await page.ClickAsync("#logout");
        await Expect(page.Locator("#login")).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('mail.ops.adminToken')"));
        // The refused login's 401 is the one error the browser may report; no CSP violation, no uncaught exception.
        Assert.DoesNotContain(ops.Errors, e => !e.Contains("status of 401", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheIpChartsHoldTheUseCapsAndRatesTheApiReportsAfterRealSendsThroughAWarmingIp()
    {
        const string ip = "127.0.0.2";
        var gmail = host.AddProviderDomain("chartg.test", "mx-chart.gmail.test", "127.0.0.81");
        await host.NextHourAsync();
        var (_, sender) = await SenderAsync(host, "capped.test");
        for (var i = 0; i < 3; i++) await ApiUsers.SendAsync(sender, new { to = new[] { $"c{i}@chartg.test" }, subject = $"c{i}", text = "x" });
        await WaitUntilAsync(() => Task.FromResult(gmail.MessageCount == 3), "three messages received");
        Assert.Equal(3, From(gmail, ip));
        using var admin = host.CreateAdminClient();
        await WaitUntilAsync(async () => LastHour(await admin.GetFromJsonAsync<JsonElement>($"/v1/admin/ips/{ip}")).GetProperty("delivered").GetInt64() == 3,
            "three deliveries counted against the IP");

        await using var browser = await chromium.OpenAsync(host.BaseAddress);
        var ops = new OpsConsolePage(browser);
        await ops.OpenAndLogInAsync(host.AdminToken);
        await ops.SelectIpAsync(ip);
        await ops.ExpectIpStateAsync("warming");
        ChartSnapshot? use = null, rates = null;
        await WaitUntilAsync(async () =>
        {
            use = await ops.ChartAsync("provider-chart");
            rates = await ops.ChartAsync("rate-chart");
            return use?.Series("sent this hour").Data[0] == 3 && rates?.Series("delivery").Data[^1] == 100;
        }, "the charts showing the three sends");

        var detail = await admin.GetFromJsonAsync<JsonElement>($"/v1/admin/ips/{ip}?hours=48");
        var providers = detail.GetProperty("status").GetProperty("providers").EnumerateArray().ToArray();
        double? Number(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.GetProperty(name).GetDouble();
        Assert.Equal(["gmail", "microsoft", "other", "yahoo"], use!.Labels);
        Assert.Equal(providers.Select(p => p.Text("provider")), use.Labels);
        foreach (var (label, field) in new[] { ("sent today", "sent_today"), ("daily cap", "daily_cap"), ("sent this hour", "sent_this_hour"), ("hourly cap", "hourly_cap") })
        {
            Assert.Equal(providers.Select(p => Number(p, field)), use.Series(label).Data);
        }
        Assert.Equal([3, 0, 0, 0], use.Series("sent this hour").Data);
        Assert.Equal([3, 3, 3, 3], use.Series("hourly cap").Data);
        Assert.All(use.Datasets, d => Assert.Equal(use.Labels.Length, d.Drawn));

        // Each hour's rate in percent, or a gap (null) in an hour without the rate's divisor.
        var hourly = detail.GetProperty("counters").GetProperty("hourly").EnumerateArray().Select(b => b.GetProperty("counts")).ToArray();
        long Count(JsonElement c, string name) => c.GetProperty(name).GetInt64();
        Assert.Equal(48, rates!.Labels.Length);
        foreach (var (label, field, divisor) in new (string, string, Func<JsonElement, long>)[]
        {
            ("delivery", "delivery_rate", c => Count(c, "sent")), ("deferral", "deferral_rate", c => Count(c, "sent")),
            ("bounce", "bounce_rate", c => Count(c, "delivered") + Count(c, "bounces")), ("complaint", "complaint_rate", c => Count(c, "delivered")),
        })
        {
            Assert.Equal(hourly.Select(c => divisor(c) == 0 ? null : (double?)(c.GetProperty(field).GetDouble() * 100)), rates.Series(label).Data);
        }
        Assert.Equal([100, 0, 0, 0], rates.Datasets.Select(d => d.Data[^1]));
        Assert.All(rates.Datasets, d => Assert.Equal(48, d.Drawn));
        Assert.Equal("3", await ops.Page.Locator("#provider-table tr[data-provider='gmail'] td").Nth(1).TextContentAsync());
        Assert.Empty(ops.Errors);
    }

    [Fact]
    public async Task AnAutomationEventShowsWithTheReplyThatCausedItAsPlainText()
    {
        const string reply = "421 4.7.0 [TSS04] <img src=x id=injected> Messages from 127.0.0.9 temporarily deferred";
        var yahoo = host.AddProviderDomain("opsauto.test", "mx-opsauto.yahoo.test", "127.0.0.82");
        yahoo.Mode = ReceiverMode.DeferRecipients;
        yahoo.DeferReply = reply;
        var (_, sender) = await SenderAsync(host, "auto.test");
        for (var i = 0; i < 2; i++) await ApiUsers.SendAsync(sender, new { to = new[] { $"y{i}@opsauto.test" }, subject = $"y{i}", text = "x" });

        await using var browser = await chromium.OpenAsync(host.BaseAddress);
        var ops = new OpsConsolePage(browser);
        await ops.OpenAndLogInAsync(host.AdminToken);
        await ops.SelectIpAsync("127.0.0.9");
        var suspension = ops.Page.Locator("#ip-events tbody tr", new() { HasText = "yahoo-tss04" });
        await Expect(suspension.First).ToBeVisibleAsync();
        await ops.ExpectIpStateAsync("throttled");
        using var admin = host.CreateAdminClient();
        var fired = (await admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/reputation/events?ip=127.0.0.9"))!.First(e => e.Text("rule") == "yahoo-tss04");
        Assert.Contains(reply, fired.Text("reply"));
        Assert.Equal(fired.Text("reply"), await suspension.First.Locator("code.reply").TextContentAsync());
        Assert.Equal(0, await ops.Page.Locator("#injected").CountAsync());
        await Expect(ops.Page.Locator("#provider-table tr[data-provider='yahoo']")).ToContainTextAsync("suspend until");
        yahoo.Mode = ReceiverMode.Accept;
    }

    [Fact]
    public async Task APauseClickedInTheConsoleStopsSendingFromThatIpAndAResumeSendsFromItAgain()
    {
        var gmail = host.AddProviderDomain("opspause.test", "mx-opspause.gmail.test", "127.0.0.83");
        var (_, sender) = await SenderAsync(host, "ops.test");
        using var admin = host.CreateAdminClient();
        await using var browser = await chromium.OpenAsync(host.BaseAddress);
        var ops = new OpsConsolePage(browser);
        var page = ops.Page;
        await ops.OpenAndLogInAsync(host.AdminToken);

        await ops.SelectIpAsync("127.0.0.7");
        await page.FillAsync("#pause-reason", "listed at a provider");
        await page.ClickAsync("#pause");
        await ops.ExpectIpStateAsync("paused");
        var status = (await admin.GetFromJsonAsync<JsonElement>("/v1/admin/ips/127.0.0.7")).GetProperty("status");
        Assert.Equal(("paused", "listed at a provider"), (status.Text("state"), status.Text("paused_reason")));
        await Expect(page.Locator("#pools tr[data-ip='127.0.0.7'] .state")).ToHaveTextAsync("paused");

        for (var i = 0; i < 4; i++) await ApiUsers.SendAsync(sender, new { to = new[] { $"p{i}@opspause.test" }, subject = $"p{i}", text = "x" });
        await WaitUntilAsync(() => Task.FromResult(gmail.MessageCount == 4), "four messages sent");
        Assert.Equal(0, From(gmail, "127.0.0.7"));
        Assert.Equal(4, From(gmail, "127.0.0.8"));

        await ops.SelectIpAsync("127.0.0.8");
        await page.ClickAsync("#pause");
        await ops.ExpectIpStateAsync("paused");
        await ApiUsers.SendAsync(sender, new { to = new[] { "held@opspause.test" }, subject = "held", text = "x" });
        await WaitUntilAsync(async () => (await RowsAsync(sender)).Any(r => r.Text("recipient") == "held@opspause.test" && r.Text("hold_reason")?.Contains("paused") == true),
            "the message held while both IPs are paused");
        await Task.Delay(1000);
        Assert.Equal(4, gmail.MessageCount);

        await ops.SelectIpAsync("127.0.0.7");
        await page.ClickAsync("#resume");
        await ops.ExpectIpStateAsync("active");
        await WaitUntilAsync(() => Task.FromResult(gmail.MessageCount == 5), "the held message sent after the resume");
        Assert.Equal("127.0.0.7", gmail.Messages.Single(m => m.Recipients.Contains("held@opspause.test")).ClientAddress.ToString());
        await Expect(page.Locator("#ip-events tbody tr").First).ToContainTextAsync("resume");

        await ops.SelectIpAsync("127.0.0.8");
        await page.ClickAsync("#resume");
        await ops.ExpectIpStateAsync("active");
        Assert.Empty(ops.Errors);
    }

    [Fact]
    public async Task TenantsAreRankedWorstFirstAndALiftClickedInTheConsoleLetsAPausedTenantSendAgain()
    {
        var bouncing = host.AddProviderDomain("opsrank.test", "mx-opsrank.gmail.test", "127.0.0.84");
        bouncing.Mode = ReceiverMode.RejectRecipients;
        var (_, bad) = await SenderAsync(host, "rank-bad.test");
        for (var i = 0; i < 4; i++) await ApiUsers.SendAsync(bad, new { to = new[] { $"gone{i}@opsrank.test" }, subject = $"b{i}", text = "x" });
        var fine = host.AddProviderDomain("opsfine.test", "mx-opsfine.gmail.test", "127.0.0.85");
        var (_, good) = await SenderAsync(host, "rank-good.test");
        for (var i = 0; i < 4; i++) await ApiUsers.SendAsync(good, new { to = new[] { $"ok{i}@opsfine.test" }, subject = $"g{i}", text = "x" });
        using var admin = host.CreateAdminClient();
        await WaitUntilAsync(async () => (await admin.GetFromJsonAsync<JsonElement>("/v1/admin/tenants/rank-bad.test/reputation")).GetProperty("standing").Text("state") == "paused",
            "the bouncing tenant paused by its bounce rate");
        await WaitUntilAsync(() => Task.FromResult(fine.MessageCount == 4), "the good tenant's mail delivered");

        await using var browser = await chromium.OpenAsync(host.BaseAddress);
        var ops = new OpsConsolePage(browser);
        var page = ops.Page;
        await ops.OpenAndLogInAsync(host.AdminToken);
        var first = page.Locator("#tenants tbody tr").First;
        await Expect(first).ToHaveAttributeAsync("data-tenant", "rank-bad.test");
        await Expect(first.Locator(".state")).ToHaveTextAsync("paused");
        await Expect(first.Locator(".bounce-rate")).ToHaveTextAsync("100.00%");
        await Expect(page.Locator("#tenants tr[data-tenant='rank-good.test'] .bounce-rate")).ToHaveTextAsync("0.00%");
        JsonElement[] ranked = [];
        string[] shown = [];
        await WaitUntilAsync(async () =>
        {
            ranked = (await admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/reputation/tenants"))!;
            shown = await page.Locator("#tenants tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.tenant)");
            return shown.SequenceEqual(ranked.Select(r => r.Text("tenant")));
        }, "the page's ranking the API's");
        Assert.True(shown.Length >= 2);
        var rates = ranked.Select(r => r.GetProperty("last_day").GetProperty("bounce_rate").GetDouble()).ToArray();
        Assert.Equal(rates.OrderDescending(), rates);

        bouncing.Mode = ReceiverMode.Accept;
        await ApiUsers.SendAsync(bad, new { to = new[] { "later@opsrank.test" }, subject = "after", text = "x" });
        await WaitUntilAsync(async () => (await RowsAsync(bad)).Any(r => r.Text("recipient") == "later@opsrank.test" && r.Text("hold_reason")?.Contains("paused") == true),
            "the paused tenant's new message held");
        Assert.Equal(0, bouncing.MessageCount);

        await page.ClickAsync("#tenants button[data-tenant='rank-bad.test']");
        await Expect(page.Locator("#tenant-state")).ToHaveTextAsync("paused");
        await Expect(page.Locator("#tenant-facts")).ToContainTextAsync("bounce rate 100.00%");
        await page.FillAsync("#lift-note", "list cleaned");
        await page.ClickAsync("#lift");
        await Expect(page.Locator("#tenant-state")).ToHaveTextAsync("ok");
        Assert.Equal("ok", (await admin.GetFromJsonAsync<JsonElement>("/v1/admin/tenants/rank-bad.test/reputation")).GetProperty("standing").Text("state"));
        var received = await bouncing.WaitForMessageAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["later@opsrank.test"], received.Recipients);
        await Expect(page.Locator("#tenant-events tbody tr").First).ToContainTextAsync("lift");
        Assert.Empty(ops.Errors);
    }

    [Fact]
    public async Task AMoveAWarmupDayAndAScheduleChangedInTheConsoleAreWhatTheApiThenReports()
    {
        using var admin = host.CreateAdminClient();
        await using var browser = await chromium.OpenAsync(host.BaseAddress);
        var ops = new OpsConsolePage(browser);
        var page = ops.Page;
        await ops.OpenAndLogInAsync(host.AdminToken);

        await ops.SelectIpAsync("127.0.0.10");
        await page.SelectOptionAsync("#move-pool", "spare");
        await page.ClickAsync("#move");
        await Expect(page.Locator("#pools article[data-pool='spare'] button[data-ip='127.0.0.10']")).ToBeVisibleAsync();
        await Expect(page.Locator("#pools article[data-pool='movable'] tbody tr")).ToHaveCountAsync(0);
        Assert.Equal("spare", (await admin.GetFromJsonAsync<JsonElement>("/v1/admin/ips/127.0.0.10")).GetProperty("status").Text("pool"));

        await ops.SelectIpAsync("127.0.0.11");
        await page.FillAsync("#warmup-day", "5");
        await page.ClickAsync("#set-warmup");
        await Expect(page.Locator("#pools tr[data-ip='127.0.0.11']")).ToContainTextAsync("day 5");
        Assert.Equal(5, (await admin.GetFromJsonAsync<JsonElement>("/v1/admin/ips/127.0.0.11")).GetProperty("status").GetProperty("warmup_day").GetInt32());

        await Expect(page.Locator("#schedule-pool")).ToHaveTextAsync("spare");
        await page.FillAsync("#schedule-start", "50");
        await page.FillAsync("#schedule-growth", "1.5");
        await page.ClickAsync("#save-schedule");
        await Expect(page.Locator("#schedule-changed")).ToBeVisibleAsync();
        var spare = await admin.GetFromJsonAsync<JsonElement>("/v1/admin/pools/spare");
        Assert.True(spare.GetProperty("schedule_changed").GetBoolean());
        Assert.Equal((50, 1.5), (spare.GetProperty("schedule").GetProperty("start_per_hour").GetInt32(), spare.GetProperty("schedule").GetProperty("daily_growth").GetDouble()));

        await page.FillAsync("#schedule-growth", "0.5");
        await page.ClickAsync("#save-schedule");
        await Expect(page.Locator("#action-error")).ToContainTextAsync("growth");
        await page.ClickAsync("#reset-schedule");
        await Expect(page.Locator("#schedule-changed")).ToBeHiddenAsync();
        await Expect(page.Locator("#schedule-start")).ToHaveValueAsync(ReputationHostFixture.HourlyCap.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("#action-error")).ToBeHiddenAsync();
        Assert.False((await admin.GetFromJsonAsync<JsonElement>("/v1/admin/pools/spare")).GetProperty("schedule_changed").GetBoolean());
        Assert.DoesNotContain(ops.Errors, e => !e.Contains("status of 400", StringComparison.Ordinal));
    }

    private static JsonElement LastHour(JsonElement ipDetail) => ipDetail.GetProperty("counters").GetProperty("total").GetProperty("last_hour");
}
