namespace Mail.Frontends.Http.Webmail;

/// <summary>Settings of the webmail at / and its browser sessions, bound from "Mail:Http:Webmail".</summary>
public sealed class WebmailOptions
{
    /// <summary>Serve the webmail; when false / is 404 (the session endpoints stay, for other browser clients).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Lifetime of a browser session's token; the page refreshes it while it is open, so this is the idle limit.</summary>
    public int SessionMinutes { get; set; } = 30;

    /// <summary>
    /// The Content-Security-Policy of the webmail's responses: its own scripts only (nothing inline), API and hub calls to
    /// this origin only, no plugins, no framing of the page, no form posts. Styles may be inline and images may come from
    /// anywhere because a message is shown in a srcdoc iframe, which inherits this policy: mail's own inline styles must
    /// apply, and a message's remote images load once the reader allows them (the page keeps them out until then).
    /// </summary>
    public string ContentSecurityPolicy { get; set; } =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https: http:; font-src 'self'; " +
        "connect-src 'self'; frame-src 'self' blob:; worker-src 'none'; object-src 'none'; manifest-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
}
