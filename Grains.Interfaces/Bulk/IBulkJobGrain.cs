namespace Mail.Grains.Interfaces.Bulk;

/// <summary>
/// One bulk job of a tenant (keyed by job id). The HTTP frontend streams a request into it: <see cref="OpenAsync"/>, then
/// recipients in batches, then <see cref="SubmitAsync"/>, which makes the stored job runnable; a background runner in
/// the silo queues its messages. Every call names the tenant, and a job of another tenant is answered as missing.
/// </summary>
[Alias("mail.IBulkJobGrain")]
public interface IBulkJobGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Throws (Forbidden) unless <paramref name="from"/> is an address in one of the tenant's domains whose SPF, DKIM and
    /// DMARC records are verified; a frontend asks as soon as it knows the sender, before storing any recipient.
    /// </summary>
    Task CheckSenderAsync(string tenantId, string from);

    /// <summary>Creates the job, receiving recipients; invisible until submitted.</summary>
    Task OpenAsync(string tenantId);

    /// <summary>Stores a batch of recipients numbered from <paramref name="firstSeq"/>, durably, before returning.</summary>
    Task AddRecipientsAsync(string tenantId, int firstSeq, IReadOnlyList<BulkRecipient> recipients);

    /// <summary>Validates the job and makes it runnable; a refused job is deleted with its recipients.</summary>
    Task<BulkJobStatus> SubmitAsync(string tenantId, BulkJobSpec spec);

    /// <summary>Deletes a job whose request failed before it was submitted.</summary>
    Task AbandonAsync(string tenantId);

    /// <summary>The job's counts and progress; null when the tenant has no such submitted job.</summary>
    Task<BulkJobStatus?> GetAsync(string tenantId);

    /// <summary>Cancels what has not gone out: pending recipients and queued messages not in flight; null when there is no such job.</summary>
    Task<BulkJobStatus?> CancelAsync(string tenantId);
}
