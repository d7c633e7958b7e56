using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Grains.Outbound;

/// <summary>A queue row whose local sender is owed a DSN ("failed" or "delayed"), with what the report says of it.</summary>
public sealed record OwedDsn(
    long RowId,
    string Kind,
    string SubmissionId,
    string SenderAccountId,
    string EnvelopeFrom,
    string Recipient,
    StoredBlob Blob,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastAttemptAt,
    string? LastReply,
    string? RemoteMta,
    string? StatusCode,
    DateTimeOffset ExpiresAt);
