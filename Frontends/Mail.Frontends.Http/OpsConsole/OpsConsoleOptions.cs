namespace Mail.Frontends.Http.OpsConsole;

/// <summary>Settings of the operator console under /ops, bound from "Mail:Http:Ops".</summary>
public sealed class OpsConsoleOptions
{
    /// <summary>Serve the console; when false /ops is 404 and only the JSON API remains.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Minutes an admin page session lasts: the cookie the console gets for the pages under /admin (the Orleans Dashboard),
    /// which a browser opens by navigation and so cannot send the token itself. The console renews it while it runs.
    /// </summary>
    public int PageSessionMinutes { get; set; } = 30;

    /// <summary>
    /// The Content-Security-Policy of every /ops response: the page's own scripts, styles and API calls only, nothing inline,
    /// no framing, no form posts and no base URL. The API's policy loads nothing, so the console needs one of its own.
    /// </summary>
    public string ContentSecurityPolicy { get; set; } =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
}
