using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Grains.Outbound;

/// <summary>A queue row the scheduler leased for a delivery attempt, with whose mail it is (tenant, sending domain, stream class).</summary>
public sealed record LeasedRow(
    long Id,
    string SubmissionId,
    string Recipient,
    string Domain,
    string ReturnPath,
    StoredBlob Blob,
    string? DkimSignature,
    int Attempts,
    DateTimeOffset ExpiresAt,
    string? TenantId = null,
    string? SendingDomain = null,
    string? StreamClass = null);
