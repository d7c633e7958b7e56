using Microsoft.Playwright;
using Xunit;

namespace Mail.Testing;

/// <summary>
/// Debian's Chromium (/usr/bin/chromium, installed by infra/test.sh) driven headless by Playwright, one browser per test
/// class (an xUnit class fixture); each test opens its own <see cref="BrowserPage"/> in a fresh context. Playwright never
/// downloads a browser here: it is pointed at the system one, and PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD is set for its driver.
/// </summary>
public sealed class ChromiumBrowser : IAsyncLifetime
{
    /// <summary>Where Debian's chromium package puts the browser.</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>
    /// Chromium's switches: no GPU on a headless machine; no QUIC, first-run, background networking, component updates or
    /// sync, so the browser opens no connection of its own. The sandbox is off because tests run as root (CI does), where
    /// Chromium refuses to start with it.
    /// </summary>
    public static IReadOnlyList<string> Arguments { get; } =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: apt-get install chromium (infra/test.sh installs it).");
        }
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            ChromiumSandbox = false,
            Args = Arguments,
        });
    }

    /// <summary>A new page in a new browser context (its own cookies and storage) whose relative URLs resolve against <paramref name="baseAddress"/>.</summary>
    public async Task<BrowserPage> OpenAsync(Uri baseAddress)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString() });
        context.SetDefaultTimeout(30_000);
        return new BrowserPage(context, await context.NewPageAsync());
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
    }
}
