using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Grains.Outbound;

/// <summary>
/// What the queue keeps of one outbound message: the sender's envelope address, the VERP return path the
/// remote sees (and its token), the stored content and the DKIM signature made once at queueing; whose mail it is
/// (tenant, sending domain) and its stream class, for the pool rules and the reputation counters; and, for a message
/// of a bulk job, the job.
/// </summary>
public sealed record QueuedMessage(
    string SubmissionId,
    string? SenderAccountId,
    string EnvelopeFrom,
    string ReturnPath,
    string? VerpToken,
    StoredBlob Blob,
    string? DkimSignature,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    string? TenantId = null,
    string? SendingDomain = null,
    string? StreamClass = null,
    Guid? BulkJobId = null);
