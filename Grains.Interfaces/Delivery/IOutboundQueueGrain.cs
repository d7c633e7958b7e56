namespace Mail.Grains.Interfaces.Delivery;

/// <summary>Reads of the durable outbound queue (a stateless worker; the outbound issue adds the sender).</summary>
[Alias("mail.IOutboundQueueGrain")]
public interface IOutboundQueueGrain : IGrainWithIntegerKey
{
    /// <summary>The queue rows an account submitted, newest first.</summary>
    Task<IReadOnlyList<OutboundItem>> ListForSenderAsync(string accountId, int limit);
}

/// <summary>One remote recipient waiting on the outbound queue.</summary>
[GenerateSerializer, Immutable, Alias("mail.OutboundItem")]
public sealed record OutboundItem(
    [property: Id(0)] long Id,
    [property: Id(1)] string SubmissionId,
    [property: Id(2)] string Recipient,
    [property: Id(3)] string Status,
    [property: Id(4)] int Attempts,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] DateTimeOffset NextAttemptAt,
    [property: Id(7)] string? LastError);
