using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Grains.Outbound;

/// <summary>
/// What the queue keeps of one outbound message: the sender's envelope address, the VERP return path the
/// remote sees (and its token), the stored content, the DKIM signature made once at queueing and, for a message of
/// a bulk job, the job.
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
    Guid? BulkJobId = null);
