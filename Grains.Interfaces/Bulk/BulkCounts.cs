namespace Mail.Grains.Interfaces.Bulk;

/// <summary>
/// Recipients of a bulk job per state: pending (not yet queued), queued (waiting for a first attempt), delivered, deferred
/// (tried, will be retried), failed (refused by the remote, expired, or the message could not be made), suppressed
/// (on the tenant's suppression list, never attempted) and cancelled.
/// </summary>
[GenerateSerializer, Immutable, Alias("mail.BulkCounts")]
public sealed record BulkCounts(
    [property: Id(0)] int Pending,
    [property: Id(1)] int Queued,
    [property: Id(2)] int Delivered,
    [property: Id(3)] int Deferred,
    [property: Id(4)] int Failed,
    [property: Id(5)] int Suppressed,
    [property: Id(6)] int Cancelled);
