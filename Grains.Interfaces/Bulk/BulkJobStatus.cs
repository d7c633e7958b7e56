namespace Mail.Grains.Interfaces.Bulk;

/// <summary>
/// A bulk job as its tenant sees it: <paramref name="State"/> (accepted, queuing, sending, completed, cancelled), the
/// recipient count, counts per recipient state and <paramref name="Progress"/>, the share of recipients whose outcome is
/// final (delivered, failed, suppressed or cancelled), from 0 to 1.
/// </summary>
[GenerateSerializer, Immutable, Alias("mail.BulkJobStatus")]
public sealed record BulkJobStatus(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string State,
    [property: Id(2)] string Class,
    [property: Id(3)] string From,
    [property: Id(4)] string Subject,
    [property: Id(5)] int Recipients,
    [property: Id(6)] BulkCounts Counts,
    [property: Id(7)] double Progress,
    [property: Id(8)] DateTimeOffset CreatedAt,
    [property: Id(9)] DateTimeOffset? SubmittedAt,
    [property: Id(10)] DateTimeOffset? FinishedAt);
