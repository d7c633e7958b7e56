namespace Mail.Grains.Reputation.Bulk;

/// <summary>Settings of bulk sending in the silo, bound from "Mail:Bulk" (the HTTP frontend reads its own from the same section).</summary>
public sealed class BulkOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Mail:Bulk";

    /// <summary>Run the bulk runner in this silo.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Refuse jobs from a domain whose SPF, DKIM and DMARC records are not all verified (403). Off only for development
    /// and benchmarks without published records.
    /// </summary>
    public bool RequireAuthenticatedDomains { get; set; } = true;

    /// <summary>Most recipients of one job; a larger send is several jobs.</summary>
    public int MaxRecipients { get; set; } = 100_000;

    /// <summary>Recipients the runner reads, makes and queues per transaction: its memory is about this many messages.</summary>
    public int PageSize { get; set; } = 200;

    /// <summary>Messages of a page made at once (rendering and signing use the CPU, storing waits for the disk).</summary>
    public int Concurrency { get; set; } = 16;

    /// <summary>
    /// Host (and port, if not 443) of the HTTPS API as the internet reaches it, for the List-Unsubscribe URL
    /// https://{PublicHost}/v1/unsubscribe/{token}; the outbound host name when not set.
    /// </summary>
    public string? PublicHost { get; set; }

    /// <summary>How long a runner holds a job without renewing it before another silo may take it over.</summary>
    public int LeaseSeconds { get; set; } = 120;

    /// <summary>
    /// How often the runner cancels the outbound rows of cancelled jobs that were in flight at the cancellation and have
    /// come back deferred since (a cancellation never interrupts a transaction under way).
    /// </summary>
    public int SweepSeconds { get; set; } = 60;

    /// <summary>A job whose request never finished is deleted after this long.</summary>
    public int AbandonedAfterMinutes { get; set; } = 60;
}
