namespace Mail.Grains.Interfaces.Delivery;

/// <summary>Reads and operator actions on the durable outbound queue (a stateless worker over its table).</summary>
[Alias("mail.IOutboundQueueGrain")]
public interface IOutboundQueueGrain : IGrainWithIntegerKey
{
    /// <summary>The queue rows an account submitted, newest first.</summary>
    Task<IReadOnlyList<OutboundItem>> ListForSenderAsync(string accountId, int limit);

    /// <summary>Rows of every sender, newest first, filtered by state (queued, deferred, delivered, failed, cancelled, suppressed) and domain.</summary>
    Task<IReadOnlyList<OutboundItem>> ListAsync(string? state, string? domain, long? beforeId, int limit);

    /// <summary>Makes a waiting or failed row due now (a failed row is queued again); false when it is delivered, cancelled or unknown.</summary>
    Task<bool> RetryAsync(long id);

    /// <summary>Cancels a waiting row: it is not sent, and its sender gets a DSN; false when it is not waiting.</summary>
    Task<bool> CancelAsync(long id);
}

/// <summary>One remote recipient of a queued message and where its delivery stands.</summary>
[GenerateSerializer, Immutable, Alias("mail.OutboundItem")]
public sealed record OutboundItem(
    [property: Id(0)] long Id,
    [property: Id(1)] string SubmissionId,
    [property: Id(2)] string Recipient,
    [property: Id(3)] string Status,
    [property: Id(4)] int Attempts,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] DateTimeOffset? NextAttemptAt,
    [property: Id(7)] string? LastReply,
    [property: Id(8)] DateTimeOffset? LastAttemptAt = null,
    [property: Id(9)] string? RemoteMta = null,
    [property: Id(10)] string? StatusCode = null,
    [property: Id(11)] string? EnvelopeFrom = null,
    [property: Id(12)] string? SenderAccountId = null,
    [property: Id(13)] string? StreamClass = null,
    [property: Id(14)] string? Pool = null,
    [property: Id(15)] string? SourceIp = null,
    [property: Id(16)] string? Provider = null,
    [property: Id(17)] string? HoldReason = null);
