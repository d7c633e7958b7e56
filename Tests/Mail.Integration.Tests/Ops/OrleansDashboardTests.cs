using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mail.Integration.Tests.Ops;

/// <summary>
/// The Orleans Dashboard under /admin/dashboard behind the admin login, over real HTTP: refused without credentials and to
/// a mail user, served to the admin token and to the operator console's page session cookie, whose figures name the
/// running silo; grain state inspection stays off.
/// </summary>
public sealed class OrleansDashboardTests(MailHostFixture host, ChromiumBrowser chromium) : IClassFixture<MailHostFixture>, IClassFixture<ChromiumBrowser>
{
    private const string Page = "/admin/dashboard/";
    private const string Counters = "/admin/dashboard/DashboardCounters";

    [Fact]
    public async Task AnonymousRequestsAndForgedCookiesAreRefusedAndAMailUserIsForbidden()
    {
        using var anonymous = host.CreateClient();
        foreach (var path in new[] { Page, Counters, "/admin/dashboard/index.min.js", "/admin/dashboard/GrainTypes" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
        }

        using var guess = host.CreateClient();
        guess.DefaultRequestHeaders.Add("X-Admin-Token", "guess-guess-guess-guess-guess-guess");
        Assert.Equal(HttpStatusCode.Unauthorized, (await guess.GetAsync(Counters)).StatusCode);

        // A cookie of the right shape that this server did not sign, and one it signed under another token, are refused.
        foreach (var forged in new[] { "v1.99999999999.AAAA", "v1.99999999999.eD8mQ1d5c0tKcW9JbWx0QjZ6WkZ1cExkY2pYb1JmS2E", "garbage" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Counters);
            request.Headers.Add("Cookie", "mail_admin_page=" + forged);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(request)).StatusCode);
        }

        using var bob = await host.LoginAsync("bob@example.test");
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.GetAsync(Counters)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.GetAsync(Page)).StatusCode);
        // A mail user cannot open a page session either.
        Assert.Equal(HttpStatusCode.Unauthorized, (await bob.PostAsJsonAsync("/v1/admin/page-session", new { })).StatusCode);
    }

    [Fact]
    public async Task TheAdminTokenGetsThePageAndTheClusterFigures()
    {
        using var admin = host.CreateAdminClient();
        using var page = await admin.GetAsync(Page);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("index.min.js", await page.Content.ReadAsStringAsync());
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/dashboard/index.min.js")).StatusCode);

        var counters = await ReadCountersAsync(admin);
        Assert.True(counters.GetProperty("totalActiveHostCount").GetInt32() >= 1, counters.ToString());
        Assert.True(counters.GetProperty("totalActivationCount").GetInt32() >= 1, counters.ToString());
        Assert.NotEmpty(counters.GetProperty("hosts").EnumerateArray());

        // The grain types the dashboard lists include ours: the figures come from this cluster's silo.
        var types = await admin.GetFromJsonAsync<string[]>("/admin/dashboard/GrainTypes");
        Assert.Contains(types!, t => t.Contains("Mail.Grains", StringComparison.Ordinal));

        // Grain state (password hashes, key digests) and the live log stream stay off by default, even for the operator.
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync("/admin/dashboard/GrainState?grainId=x&grainType=y")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync("/admin/dashboard/Trace")).StatusCode);
    }

    [Fact]
    public async Task TheConsolesPageSessionCookieOpensTheDashboardForReadsAndEndsOnLogout()
    {
        using var admin = host.CreateAdminClient();
        using var opened = await admin.PostAsJsonAsync("/v1/admin/page-session", new { });
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        var body = await opened.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("/admin/", body.GetProperty("path").GetString());
        Assert.True(body.GetProperty("expires_at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(20));

        var setCookie = opened.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("mail_admin_page=", StringComparison.Ordinal));
        Assert.Contains("path=/admin", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);

        // A browser-like client: a cookie jar and no admin header.
        var jar = new CookieContainer();
        jar.SetCookies(host.BaseAddress, setCookie);
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = jar }) { BaseAddress = host.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(Page)).StatusCode);
        Assert.True((await ReadCountersAsync(browser)).GetProperty("totalActiveHostCount").GetInt32() >= 1);
        // The cookie is scoped to /admin: the admin API does not take it.
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/v1/admin/pools")).StatusCode);

        // Log out: the answer expires the cookie, and the jar no longer opens the dashboard.
        using var closed = await admin.DeleteAsync("/v1/admin/page-session");
        Assert.Equal(HttpStatusCode.NoContent, closed.StatusCode);
        foreach (var header in closed.Headers.GetValues("Set-Cookie")) jar.SetCookies(host.BaseAddress, header);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync(Counters)).StatusCode);
    }

    [Fact]
    public async Task AnOperatorLoggedInToTheConsoleOpensTheDashboardFromItsLink()
    {
        await using var browser = await chromium.OpenAsync(host.BaseAddress);
        var page = browser.Page;
        // Before logging in, the dashboard is refused to this browser too.
        Assert.Equal(401, (await page.GotoAsync(Page))!.Status);

        await page.GotoAsync("/ops/");
        await page.FillAsync("#token", host.AdminToken);
        await page.ClickAsync("#login-form button[type=submit]");
        await Expect(page.Locator("#dashboard")).ToBeVisibleAsync();
        var dashboard = await page.Context.RunAndWaitForPageAsync(() => page.ClickAsync("#dashboard"));
        var errors = new List<string>();
        dashboard.Console += (_, message) =>
        {
            if (message.Type == "error") lock (errors) errors.Add(message.Text);
        };
        dashboard.PageError += (_, error) => { lock (errors) errors.Add(error); };
        await dashboard.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        Assert.EndsWith(Page, dashboard.Url, StringComparison.Ordinal);
        // The page's own script fetched the counters with the cookie and drew them: one active silo.
        var silos = dashboard.Locator(".info-box", new PageLocatorOptions { HasText = "Active Silos" }).Locator(".info-box-number");
        await Expect(silos).ToHaveTextAsync("1");

        // Logging out closes the session: the dashboard's data calls are refused again.
        await page.ClickAsync("#logout");
        await Expect(page.Locator("#login")).ToBeVisibleAsync();
        await Expect(page.Locator("#dashboard")).ToBeHiddenAsync();
        await WaitUntilAsync(async () => (await dashboard.APIRequest.GetAsync(Counters)).Status == 401, "the cookie to be gone");
        lock (errors) Assert.DoesNotContain(errors, e => e.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited 15 s for {what}.");
            await Task.Delay(200);
        }
    }

    /// <summary>The dashboard's counters once they name a silo (the dashboard grain gathers them every second).</summary>
    private static async Task<JsonElement> ReadCountersAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var response = await client.GetAsync(Counters);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var counters = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (counters.GetProperty("totalActiveHostCount").GetInt32() >= 1 || DateTime.UtcNow > deadline) return counters;
            await Task.Delay(500);
        }
    }
}
