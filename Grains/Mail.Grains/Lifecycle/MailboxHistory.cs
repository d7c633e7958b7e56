namespace Mail.Grains.Lifecycle;

/// <summary>
/// Where a mailbox's change log stands: its highest MODSEQ, the horizon it was pruned through, and when its oldest
/// remaining change was made (null when nothing is left after the horizon).
/// </summary>
public sealed record MailboxHistory(string AccountId, long HighestModseq, long PrunedThrough, DateTimeOffset? OldestChangeAt);
