namespace Mail.Events;

/// <summary>How a <see cref="MailboxChangeFeed"/> makes sure it misses nothing, bound from "Mail:Events".</summary>
public sealed class MailboxChangeFeedOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Mail:Events";

    /// <summary>
    /// How often the feed asks the mailbox for its MODSEQ in case an event was lost with nothing after it to show the
    /// gap (a silo crash with memory streams): the longest a lost event can go unnoticed. It also subscribes again then.
    /// </summary>
    public int FallbackSeconds { get; set; } = 30;

    /// <summary>Changes read from the log per call while replaying.</summary>
    public int ReplayPageSize { get; set; } = 1000;
}
