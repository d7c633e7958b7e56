namespace Mail.Frontends.Http;

/// <summary>Settings of the HTTP frontend, bound from "Mail:Http".</summary>
public sealed class HttpFrontendOptions
{
    /// <summary>Where Kestrel listens for plain HTTP; empty turns plain HTTP off. Only loopback unless <see cref="AllowPlaintextHttp"/>.</summary>
    public string Url { get; set; } = "http://127.0.0.1:8080";

    /// <summary>Where Kestrel listens for HTTPS (e.g. "https://0.0.0.0:8443"), with the mail protocols' certificate; empty: no HTTPS.</summary>
    public string? HttpsUrl { get; set; }

    /// <summary>Let <see cref="Url"/> (plain HTTP) bind an address other than loopback: only behind a TLS-terminating proxy.</summary>
    public bool AllowPlaintextHttp { get; set; }

    /// <summary>
    /// Proxies (addresses, or networks as "10.0.0.0/8") whose X-Forwarded-For and X-Forwarded-Proto are believed; nobody's
    /// by default, loopback included, so a client cannot name its own address for the rate limiter and the login throttle.
    /// </summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Largest request body of endpoints that take credentials (the token request, a password change).</summary>
    public long MaxCredentialBodyBytes { get; set; } = 8 * 1024;

    /// <summary>Largest request body of every endpoint that does not set its own limit (folders, flags, admin requests).</summary>
    public long MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>The Content-Security-Policy of every response that does not set its own: the API serves no page, so nothing may load.</summary>
    public string ContentSecurityPolicy { get; set; } = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>The operator console under /ops: whether it is served and its own Content-Security-Policy.</summary>
    public OpsConsole.OpsConsoleOptions Ops { get; set; } = new();

    /// <summary>The webmail at / and its browser sessions: whether it is served, its Content-Security-Policy, the session lifetime.</summary>
    public Webmail.WebmailOptions Webmail { get; set; } = new();

    /// <summary>The operator token; generated into $MAIL_DATA_DIR/admin-token when not set.</summary>
    public string? AdminToken { get; set; }

    /// <summary>Largest message the API builds or accepts, in bytes (25 MB).</summary>
    public long MaxMessageBytes { get; set; } = 25L * 1000 * 1000;

    /// <summary>Most recipients (to + cc + bcc) of one send.</summary>
    public int MaxRecipients { get; set; } = 100;

    /// <summary>Lifetime of an access token.</summary>
    public int TokenLifetimeMinutes { get; set; } = 60;

    /// <summary>Largest page of a listing.</summary>
    public int MaxPageSize { get; set; } = 200;

    /// <summary>Request rate limits.</summary>
    public RateLimitSettings RateLimit { get; set; } = new();

    /// <summary>Largest request body of POST /v1/send: a message of <see cref="MaxMessageBytes"/> as base64 in JSON, plus room for the envelope.</summary>
    public long MaxSendBodyBytes => MaxMessageBytes / 3 * 4 + 1024 * 1024;
}

/// <summary>Fixed-window request limits per client IP and per account.</summary>
public sealed class RateLimitSettings
{
    /// <summary>Requests a client IP may make per minute.</summary>
    public int PerIpPerMinute { get; set; } = 1200;

    /// <summary>Requests an authenticated account may make per minute.</summary>
    public int PerAccountPerMinute { get; set; } = 600;
}
