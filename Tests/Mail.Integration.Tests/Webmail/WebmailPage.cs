using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mail.Integration.Tests.Webmail;

/// <summary>The webmail at / in one browser context: signing in, the list, the reader and the compose window, by the ids the page gives them.</summary>
public sealed class WebmailPage(BrowserPage browser) : IAsyncDisposable
{
    /// <summary>How long a change may take to reach the page (the hub, or the change-log poll where there is none).</summary>
    public static readonly LocatorAssertionsToBeVisibleOptions Arrival = new() { Timeout = 20_000 };

    /// <summary>The page.</summary>
    public IPage Page => browser.Page;

    /// <summary>What went wrong in the page, less failed loads (their statuses are what the tests check over HTTP).</summary>
    public IReadOnlyList<string> Errors => browser.Errors.Where(e => !e.Contains("Failed to load resource", StringComparison.Ordinal)).ToList();

    /// <summary>Opens / and signs in; waits for the folder list.</summary>
    public async Task SignInAsync(string address, string password = "test-password")
    {
        await Page.GotoAsync("/");
        await Page.FillAsync("#username", address);
        await Page.FillAsync("#password", password);
        await Page.ClickAsync("#login button[type=submit]");
        await Expect(Page.Locator("#folders")).ToBeVisibleAsync();
        // Signed in means the folder list has loaded, not only that its frame is shown.
        await Expect(Page.Locator("#folders li[data-folder='Sent'] button.folder")).ToBeVisibleAsync(Arrival);
    }

    /// <summary>The list row of the message with this subject.</summary>
    public ILocator Row(string subject) => Page.Locator("#message-list li.message", new() { Has = Page.GetByText(subject, new() { Exact = false }) });

    /// <summary>Opens the message with this subject in the reader, waiting for it to arrive first.</summary>
    public async Task OpenAsync(string subject)
    {
        await Expect(Row(subject)).ToBeVisibleAsync(Arrival);
        // A live refresh may redraw the row under the click: click again until the reader shows the message.
        for (var attempt = 1; ; attempt++)
        {
            await Row(subject).Locator("button.row").ClickAsync();
            try
            {
                await Expect(Page.Locator("#reader-subject")).ToHaveTextAsync(subject, new() { Timeout = 10_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>Opens a folder from the folder list.</summary>
    public async Task ShowFolderAsync(string folder)
    {
        await Page.Locator($"#folders li[data-folder='{folder}'] button.folder").ClickAsync();
        await Expect(Page.Locator(".list-title")).ToContainTextAsync(folder == "INBOX" ? "Inbox" : folder);
    }

    /// <summary>Fills the open compose window; attachments go through the file picker.</summary>
    public async Task FillComposeAsync(string? to, string? subject, string? text, params FilePayload[] files)
    {
        await Expect(Page.Locator("#compose-dialog")).ToBeVisibleAsync();
        if (to is not null) await Page.FillAsync("#compose-to", to);
        if (subject is not null) await Page.FillAsync("#compose-subject", subject);
        if (text is not null) await Page.Locator("#compose-text").PressSequentiallyAsync(text);
        if (files.Length > 0) await Page.SetInputFilesAsync("#attach-input", files);
        foreach (var file in files)
        {
            await Expect(Page.Locator($".uploads progress[aria-label='Loading {file.Name}']")).ToHaveAttributeAsync("value", "1");
        }
    }

    /// <summary>Clicks Send and waits for the undo window to pass and the message to be sent.</summary>
    public async Task SendAsync()
    {
        await Page.ClickAsync("#send");
        await Expect(Page.Locator("#undo-toast")).ToBeVisibleAsync();
        await Expect(Page.Locator("#status")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("Message sent"), new() { Timeout = 20_000 });
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => browser.DisposeAsync();
}
