using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Grains.Interfaces.Delivery;

/// <summary>
/// The mail delivery agent (a stateless worker): takes a stored message and its envelope, files it in
/// every local recipient's mailbox and the sender's Sent folder, and queues remote recipients.
/// </summary>
[Alias("mail.IDeliveryAgentGrain")]
public interface IDeliveryAgentGrain : IGrainWithIntegerKey
{
    /// <summary>Delivers a submission; returns only when every local delivery and queue row is durable.</summary>
    Task<SubmissionResult> SubmitAsync(Submission submission);
}

/// <summary>
/// A stored message with its envelope. <see cref="SubmissionId"/> makes a retry a no-op. A frontend that
/// already parsed the message or resolved its recipients passes <see cref="Summary"/> and
/// <see cref="Routes"/> so the agent neither reads the blob back nor asks the address grains again.
/// <see cref="Folder"/> files local copies elsewhere than INBOX (Junk for mail DMARC asks to quarantine).
/// <see cref="StreamClass"/> is the sender's class for remote recipients (<see cref="Outbound.StreamClasses"/>;
/// null: transactional).
/// </summary>
[GenerateSerializer, Immutable, Alias("mail.Submission")]
public sealed record Submission(
    [property: Id(0)] string SubmissionId,
    [property: Id(1)] StoredBlob Blob,
    [property: Id(2)] string EnvelopeFrom,
    [property: Id(3)] IReadOnlyList<string> Recipients,
    [property: Id(4)] string? SenderAccountId,
    [property: Id(5)] DateTimeOffset ReceivedAt,
    [property: Id(6)] MessageSummary? Summary = null,
    [property: Id(7)] IReadOnlyDictionary<string, AddressRoute>? Routes = null,
    [property: Id(8)] string? Folder = null,
    [property: Id(9)] string? StreamClass = null);

/// <summary>What happened to each recipient of a submission.</summary>
[GenerateSerializer, Immutable, Alias("mail.SubmissionResult")]
public sealed record SubmissionResult(
    [property: Id(0)] long? SentMessageId,
    [property: Id(1)] IReadOnlyList<RecipientOutcome> Recipients);

/// <summary>One recipient's outcome.</summary>
[GenerateSerializer, Immutable, Alias("mail.RecipientOutcome")]
public sealed record RecipientOutcome(
    [property: Id(0)] string Address,
    [property: Id(1)] RecipientStatus Status,
    [property: Id(2)] string? Detail);

/// <summary>Where a recipient's copy went.</summary>
public enum RecipientStatus
{
    /// <summary>Filed in a local mailbox.</summary>
    Delivered = 1,
    /// <summary>Put on the durable outbound queue for a remote domain.</summary>
    Queued = 2,
    /// <summary>Refused (unknown local user, quota): the detail says why.</summary>
    Rejected = 3,
    /// <summary>A remote recipient on the sending tenant's suppression list: recorded, never attempted.</summary>
    Suppressed = 4,
}
