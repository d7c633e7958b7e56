using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Mail.Frontends.Http.Webmail;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mail.Integration.Tests.Webmail;

/// <summary>
/// The webmail's security model over the wire and in the browser: the session cookie's attributes, the CSRF token every
/// state change needs, bearer and API-key access unchanged, the page's Content-Security-Policy, and hostile HTML
/// delivered over SMTP that never runs script in the page.
/// </summary>
public sealed class WebmailSecurityTests(MailHostFixture host, ChromiumBrowser chromium) : IClassFixture<MailHostFixture>, IClassFixture<ChromiumBrowser>
{
    [Fact]
    public async Task TheSessionCookieIsHttpOnlyStrictAndEveryStateChangeNeedsItsCsrfToken()
    {
        var (address, bearer) = await ApiUsers.CreateAsync(host);
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = host.BaseAddress };

        var refused = await browser.PostAsJsonAsync("/v1/auth/session", new { username = address, password = "wrong" });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var login = await browser.PostAsJsonAsync("/v1/auth/session", new { username = address, password = "test-password" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var setCookie = login.Headers.GetValues("Set-Cookie").Single();
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/v1", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", setCookie, StringComparison.OrdinalIgnoreCase);
        var session = await login.Content.ReadFromJsonAsync<JsonElement>();
        var csrf = session.GetProperty("csrf_token").GetString()!;
        Assert.Equal(address, session.GetProperty("address").GetString());

        // Reads need only the cookie; the page learns the CSRF token again after a reload from GET /v1/auth/session.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/v1/folders")).StatusCode);
        Assert.Equal(csrf, (await browser.GetFromJsonAsync<JsonElement>("/v1/auth/session")).GetProperty("csrf_token").GetString());

        // A state change without the token, or with another session's token, is refused and changes nothing.
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostAsJsonAsync("/v1/folders", new { name = "NoToken" })).StatusCode);
        using (var forged = new HttpRequestMessage(HttpMethod.Post, "/v1/folders") { Content = JsonContent.Create(new { name = "Forged" }) })
        {
            forged.Headers.Add("X-CSRF-Token", csrf[..^2] + "xx");
            Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SendAsync(forged)).StatusCode);
        }
        using (var good = new HttpRequestMessage(HttpMethod.Post, "/v1/folders") { Content = JsonContent.Create(new { name = "WithToken" }) })
        {
            good.Headers.Add("X-CSRF-Token", csrf);
            Assert.Equal(HttpStatusCode.Created, (await browser.SendAsync(good)).StatusCode);
        }
        var folders = (await bearer.GetFromJsonAsync<JsonElement>("/v1/folders")).EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList();
        Assert.Contains("WithToken", folders);
        Assert.DoesNotContain("NoToken", folders);
        Assert.DoesNotContain("Forged", folders);

        // A bearer token (no CSRF claim) planted as the cookie is not a session.
        using (var planted = new HttpClient { BaseAddress = host.BaseAddress })
        {
            var token = bearer.DefaultRequestHeaders.Authorization!.Parameter!;
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/folders");
            request.Headers.Add("Cookie", $"mail_session={token}");
            Assert.Equal(HttpStatusCode.Unauthorized, (await planted.SendAsync(request)).StatusCode);
        }

        // Bearer tokens work as before, and need no CSRF token (no browser sends them by itself).
        Assert.Equal(HttpStatusCode.Created, (await bearer.PostAsJsonAsync("/v1/folders", new { name = "ByBearer" })).StatusCode);

        // Logout expires the cookie.
        using (var logout = new HttpRequestMessage(HttpMethod.Delete, "/v1/auth/session"))
        {
            logout.Headers.Add("X-CSRF-Token", csrf);
            Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(logout)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/v1/folders")).StatusCode);
    }

    [Fact]
    public async Task ThePageIsServedWithAStrictPolicyAndTheApiKeepsItsOwn()
    {
        using var client = host.CreateClient();
        var page = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Equal(new WebmailOptions().ContentSecurityPolicy, policy);
        Assert.Contains("script-src 'self';", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", html);
        var script = System.Text.RegularExpressions.Regex.Match(html, "src=\"(/assets/[^\"]+\\.js)\"").Groups[1].Value;
        var asset = await client.GetAsync(script);
        Assert.Equal("text/javascript", asset.Content.Headers.ContentType!.MediaType);
        Assert.Contains("immutable", asset.Headers.CacheControl!.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/no-such-endpoint")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/no-such-file.js")).StatusCode);
        var api = await client.GetAsync("/health");
        Assert.Equal("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'", api.Headers.GetValues("Content-Security-Policy").Single());
    }

    /// <summary>Hostile HTML: each entry tries to run script, reach the page, or load from elsewhere without asking.</summary>
    public static TheoryData<string, string> Corpus => new()
    {
        { "script tag", "<p>hi</p><script>alert('XSS');console.log('XSS-MARK script')</script>" },
        { "event handler", "<img src=x onerror=\"alert('XSS');console.log('XSS-MARK onerror')\"><div onmouseover=\"console.log('XSS-MARK hover')\">hover me</div>" },
        { "javascript URL", "<a id=evil href=\"javascript:console.log('XSS-MARK link');alert(1)\">click me</a><a href=\"JaVaScRiPt:alert(2)\">again</a>" },
        { "svg", "<svg onload=\"console.log('XSS-MARK svg')\"><script>console.log('XSS-MARK svg script')</script><a xlink:href=\"javascript:alert(3)\"><text>x</text></a></svg>" },
        { "css expression", "<div style=\"width:expression(alert('XSS'));background:url(javascript:console.log('XSS-MARK css'))\">css</div><style>body{background:url(javascript:alert(4))}</style>" },
        { "malformed", "<<img src=x onerror=console.log('XSS-MARK malformed')//<<scr<script>ipt>console.log('XSS-MARK split')</scr</script>ipt><img \"\"\"><script>console.log('XSS-MARK quotes')</script>\">" },
        { "mutation", "<math><mtext><table><mglyph><style><img src=x onerror=console.log('XSS-MARK mxss')></style></mglyph></table></mtext></math><noscript><p title=\"</noscript><img src=x onerror=console.log('XSS-MARK noscript')>\"></noscript>" },
        { "frames and forms", "<iframe srcdoc=\"<script>parent.console.log('XSS-MARK srcdoc')</script>\"></iframe><form action=\"javascript:alert(5)\"><button id=go>go</button></form><object data=\"javascript:alert(6)\"></object><embed src=\"javascript:alert(7)\">" },
        { "meta and base", "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(8)\"><base href=\"javascript:alert(9)//\"><a href=\"/relative\">rel</a><details open ontoggle=\"console.log('XSS-MARK toggle')\">d</details>" },
        { "remote tracker", "<p>Look</p><img alt=tracker src=\"http://127.0.0.1:9/pixel.gif\"><div style=\"background-image:url(http://127.0.0.1:9/bg.png)\">bg</div>" },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task HostileHtmlDeliveredOverSmtpNeverRunsScriptInThePage(string name, string html)
    {
        var (address, _) = await ApiUsers.CreateAsync(host);
        var subject = $"Corpus {name}";
        var mime = $"From: Mallory <mallory@remote.example>\r\nTo: {address}\r\nSubject: {subject}\r\nMessage-ID: <{Guid.NewGuid():N}@remote.example>\r\n" +
                   "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b\"\r\n\r\n" +
                   "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n<script>console.log('XSS-MARK text')</script>\r\n" +
                   $"--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n--b--\r\n";
        var smtp = new RawSmtpClient("127.0.0.1", host.SmtpPort);
        Assert.Null(await smtp.SendAsync("mallory@remote.example", address, Encoding.UTF8.GetBytes(mime), CancellationToken.None));

        await using var web = new WebmailPage(await chromium.OpenAsync(host.BaseAddress));
        var page = web.Page;
        var fired = new List<string>();
        page.Dialog += (_, dialog) =>
        {
            lock (fired) fired.Add($"dialog: {dialog.Message}");
            _ = dialog.DismissAsync();
        };
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("XSS", StringComparison.Ordinal)) lock (fired) fired.Add($"console: {message.Text}");
        };
        var remoteLoads = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.StartsWith("http://127.0.0.1:9/", StringComparison.Ordinal)) lock (remoteLoads) remoteLoads.Add(request.Url);
        };
        await web.SignInAsync(address);
        await web.OpenAsync(subject);

        var frame = page.Locator("#message-body");
        Assert.Equal("allow-popups allow-popups-to-escape-sandbox", await frame.GetAttributeAsync("sandbox"));
        var body = page.FrameLocator("#message-body").Locator("body");
        await Expect(body).ToBeAttachedAsync();
        var inner = await body.InnerHTMLAsync();
        foreach (var forbidden in new[] { "<script", "onerror", "onload", "onmouseover", "ontoggle", "javascript:", "expression(", "<iframe", "<form", "<object", "<embed", "<base", "<meta" })
        {
            Assert.DoesNotContain(forbidden, inner, StringComparison.OrdinalIgnoreCase);
        }
        foreach (var link in await page.FrameLocator("#message-body").Locator("a, div, details, img").AllAsync())
        {
            if (await link.IsVisibleAsync()) await link.HoverAsync(new() { Timeout = 2_000 });
        }
        foreach (var link in await page.FrameLocator("#message-body").Locator("a").AllAsync())
        {
            await link.ClickAsync(new() { Timeout = 2_000, Modifiers = [] }).ContinueWith(_ => { });
        }
        await page.WaitForTimeoutAsync(500);
        Assert.Equal("Mail", await page.TitleAsync());
        lock (fired) Assert.Empty(fired);

        if (name == "remote tracker")
        {
            await Expect(page.Locator("#remote-notice")).ToBeVisibleAsync();
            lock (remoteLoads) Assert.Empty(remoteLoads);
            await page.ClickAsync("#allow-remote");
            await Expect(page.FrameLocator("#message-body").Locator("img[alt=tracker]")).ToHaveAttributeAsync("src", "http://127.0.0.1:9/pixel.gif");
        }
        else
        {
            lock (remoteLoads) Assert.Empty(remoteLoads);
        }
        Assert.DoesNotContain(web.Errors, e => e.Contains("Content Security Policy", StringComparison.Ordinal) && !e.Contains("javascript:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InlineCidImagesAreShownFromTheMessageItself()
    {
        var (address, _) = await ApiUsers.CreateAsync(host);
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
        var mime = $"From: a@remote.example\r\nTo: {address}\r\nSubject: Inline picture\r\nMIME-Version: 1.0\r\n" +
                   "Content-Type: multipart/related; boundary=\"r\"\r\n\r\n" +
                   "--r\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Logo:</p><img src=\"cid:logo@remote.example\" alt=logo>\r\n" +
                   "--r\r\nContent-Type: image/png\r\nContent-ID: <logo@remote.example>\r\nContent-Disposition: inline\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
                   Convert.ToBase64String(png) + "\r\n--r--\r\n";
        Assert.Null(await new RawSmtpClient("127.0.0.1", host.SmtpPort).SendAsync("a@remote.example", address, Encoding.ASCII.GetBytes(mime), CancellationToken.None));
        await using var web = new WebmailPage(await chromium.OpenAsync(host.BaseAddress));
        await web.SignInAsync(address);
        await web.OpenAsync("Inline picture");
        var logo = web.Page.FrameLocator("#message-body").Locator("img[alt=logo]");
        await Expect(logo).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^blob:"));
        await Expect(web.Page.Locator("#remote-notice")).ToHaveCountAsync(0);
    }
}
