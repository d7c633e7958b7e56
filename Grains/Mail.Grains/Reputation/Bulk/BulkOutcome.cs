using Mail.Grains.Outbound;

namespace Mail.Grains.Reputation.Bulk;

/// <summary>What became of one pending recipient in a page: queued (with its <paramref name="Message"/>), suppressed or failed.</summary>
public sealed record BulkOutcome(int Seq, string Address, string State, string? Detail, QueuedMessage? Message)
{
    /// <summary>Queued as <paramref name="message"/>.</summary>
    public static BulkOutcome Queued(PendingRecipient r, QueuedMessage message) => new(r.Seq, r.Address, "queued", null, message);

    /// <summary>On the tenant's suppression list: skipped, never attempted.</summary>
    public static BulkOutcome Suppressed(PendingRecipient r) => new(r.Seq, r.Address, "suppressed", null, null);

    /// <summary>Its message could not be made (the detail says why).</summary>
    public static BulkOutcome Failed(PendingRecipient r, string detail) => new(r.Seq, r.Address, "failed", detail, null);
}
