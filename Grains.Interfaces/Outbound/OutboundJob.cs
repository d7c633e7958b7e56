using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Grains.Interfaces.Outbound;

/// <summary>
/// One SMTP transaction to be made: a queued message and its recipients at one domain (several RCPT in one
/// transaction). <see cref="LeasedUntil"/> is the lease the scheduler took on the rows; it is also the
/// fencing token a job that waited long uses to re-claim its rows. <see cref="Tenant"/>, <see cref="SendingDomain"/> and
/// <see cref="StreamClass"/> say whose mail it is; <see cref="Pool"/>, <see cref="SourceIp"/> and <see cref="Provider"/>
/// how it leaves (null without IP pools: the global source address), so every outcome is counted against all of them.
/// </summary>
[GenerateSerializer, Immutable, Alias("mail.OutboundJob")]
public sealed record OutboundJob(
    [property: Id(0)] IReadOnlyList<OutboundRecipient> Recipients,
    [property: Id(1)] string Domain,
    [property: Id(2)] string SubmissionId,
    [property: Id(3)] string ReturnPath,
    [property: Id(4)] StoredBlob Blob,
    [property: Id(5)] string? DkimSignature,
    [property: Id(6)] DateTimeOffset ExpiresAt,
    [property: Id(7)] DateTimeOffset LeasedUntil,
    [property: Id(8)] string? Tenant = null,
    [property: Id(9)] string? SendingDomain = null,
    [property: Id(10)] string? StreamClass = null,
    [property: Id(11)] string? Pool = null,
    [property: Id(12)] string? SourceIp = null,
    [property: Id(13)] string? Provider = null);

/// <summary>One queue row of a job: the recipient and how often delivery to it was tried.</summary>
[GenerateSerializer, Immutable, Alias("mail.OutboundRecipient")]
public sealed record OutboundRecipient(
    [property: Id(0)] long RowId,
    [property: Id(1)] string Address,
    [property: Id(2)] int Attempts);
