namespace Mail.Frontends.Http;

/// <summary>Settings of the HTTP frontend, bound from "Mail:Http".</summary>
public sealed class HttpFrontendOptions
{
    /// <summary>Where Kestrel listens.</summary>
    public string Url { get; set; } = "http://127.0.0.1:8080";

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

    /// <summary>Largest request body: a message of <see cref="MaxMessageBytes"/> as base64 in JSON, plus room for the envelope.</summary>
    public long MaxRequestBodyBytes => MaxMessageBytes / 3 * 4 + 1024 * 1024;
}

/// <summary>Fixed-window request limits per client IP and per account.</summary>
public sealed class RateLimitSettings
{
    /// <summary>Requests a client IP may make per minute.</summary>
    public int PerIpPerMinute { get; set; } = 1200;

    /// <summary>Requests an authenticated account may make per minute.</summary>
    public int PerAccountPerMinute { get; set; } = 600;
}
