namespace Mail.Grains.Outbound;

/// <summary>What one delivery attempt did to one queue row.</summary>
public enum OutcomeKind
{
    /// <summary>The remote accepted it (250 after DATA/BDAT).</summary>
    Delivered,
    /// <summary>Temporary failure: tried again at <see cref="RowOutcome.NextAttemptAt"/>.</summary>
    Deferred,
    /// <summary>Permanent failure, or the queue lifetime ran out: the sender gets a DSN.</summary>
    Failed,
}

/// <summary>The outcome of one attempt for one row, with the reply that decided it (used in DSNs and listings).</summary>
public sealed record RowOutcome(
    long RowId,
    OutcomeKind Kind,
    string Reply,
    string? StatusCode,
    string? RemoteMta,
    DateTimeOffset? NextAttemptAt = null);

/// <summary>A row's outcome with the lease its attempt held, as the outcome writer records it.</summary>
public readonly record struct LeasedOutcome(RowOutcome Outcome, DateTimeOffset LeasedUntil);
