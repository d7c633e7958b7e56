using Microsoft.Playwright;

namespace Mail.Testing;

/// <summary>
/// A page in its own browser context that records what went wrong in it: console errors (a Content-Security-Policy
/// violation is reported there), uncaught exceptions and failed requests. Disposing closes the context.
/// </summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];

    /// <summary>Starts recording the page's errors.</summary>
    public BrowserPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error") Record($"console: {message.Text}");
        };
        page.PageError += (_, error) => Record($"uncaught: {error}");
        page.RequestFailed += (_, request) => Record($"request failed: {request.Method} {request.Url} {request.Failure}");
    }

    /// <summary>The page.</summary>
    public IPage Page { get; }

    /// <summary>What went wrong so far.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors) return [.. _errors];
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _context.CloseAsync();

    private void Record(string error)
    {
        lock (_errors) _errors.Add(error);
    }
}
