namespace Mail.Grains.Lifecycle;

/// <summary>How long mailbox history is kept, bound from "Mail:Retention" (README, Security: Data lifecycle).</summary>
public sealed class RetentionOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Mail:Retention";

    /// <summary>Run the pruning pass in this silo (every silo may; one pass runs at a time cluster-wide).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Change-log rows older than this are pruned, whatever their number.</summary>
    public int ChangeLogDays { get; set; } = 30;

    /// <summary>A mailbox keeps the changes of its newest this many MODSEQs; older ones are pruned (once past <see cref="MinChangeAgeMinutes"/>).</summary>
    public int MaxChangesPerMailbox { get; set; } = 100_000;

    /// <summary>
    /// No change younger than this is pruned for the count limit: a session that was just told a MODSEQ (an IMAP
    /// session between two polls, an API client between two calls) can always get the delta after it.
    /// </summary>
    public int MinChangeAgeMinutes { get; set; } = 60;

    /// <summary>Delivery ids older than this are forgotten: a delivery retried later than that is filed again.</summary>
    public int DeliveryIdDays { get; set; } = 30;

    /// <summary>Time between passes.</summary>
    public int IntervalMinutes { get; set; } = 60;

    /// <summary>Most rows one delete statement (one transaction) removes.</summary>
    public int BatchSize { get; set; } = 10_000;
}
