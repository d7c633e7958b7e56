namespace Mail.Grains.Reputation.Webhooks;

/// <summary>Settings of tenant webhooks and their dispatcher, bound from "Mail:Webhooks" (README lists them).</summary>
public sealed class WebhookOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Mail:Webhooks";

    /// <summary>Run the dispatcher in this silo.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Endpoints one tenant may register.</summary>
    public int MaxPerTenant { get; set; } = 10;

    /// <summary>Longest endpoint URL accepted.</summary>
    public int MaxUrlLength { get; set; } = 2048;

    /// <summary>
    /// Accept http:// endpoints. Off by default: a signed body still travels readable, and the signature's secret
    /// protects only its integrity.
    /// </summary>
    public bool AllowHttp { get; set; }

    /// <summary>
    /// Deliver to loopback, private, link-local and other non-public addresses. Off by default, so a tenant cannot
    /// make the platform probe its own network (SSRF); the check runs on the address connected to, after DNS.
    /// </summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>Time one POST may take, connection included.</summary>
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>First retry delay after a failed POST; it doubles with each failure.</summary>
    public double MinimalBackoffSeconds { get; set; } = 30;

    /// <summary>Largest retry delay.</summary>
    public double MaximalBackoffSeconds { get; set; } = 3600;

    /// <summary>How long an event is retried before it is given up (its delivery is marked failed).</summary>
    public double RetryHours { get; set; } = 24;

    /// <summary>POSTs one silo makes at once.</summary>
    public int Concurrency { get; set; } = 16;

    /// <summary>Deliveries leased per dispatcher pass.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>How long leased deliveries wait before another dispatcher may take them (covers a crash mid-POST).</summary>
    public double LeaseSeconds { get; set; } = 120;

    /// <summary>Days finished deliveries (and their attempt log) are kept for the API.</summary>
    public double LogRetentionDays { get; set; } = 7;
}
