using Mail.Grains.Hosting;
using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Delivery;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Interfaces.Outbound;
using Mail.Grains.Outbound.Bounces;
using Mail.Grains.Outbound.Dkim;
using Mail.Storage.Blobs;
using Microsoft.Extensions.Options;

namespace Mail.Grains.Outbound;

/// <summary>
/// Puts a submission's remote recipients on the queue: signs the message once (DKIM, RFC 6376) as it is
/// queued rather than on every attempt, gives it a VERP return path on the sender's domain so that a later
/// asynchronous bounce finds its row, and sets its lifetime. The rows say whose mail it is (the tenant it is stored
/// under, the envelope sender's domain) and its stream class (transactional unless the sender said marketing).
/// Recipients on the sending tenant's suppression list are recorded but never sent (<see cref="OutboundQueueStore.EnqueueAsync"/>).
/// </summary>
public sealed class OutboundIntake(
    OutboundQueueStore queue,
    OutboundSigner signer,
    IBlobStore blobs,
    IGrainFactory grains,
    IOptions<OutboundOptions> options,
    MailClock clock)
{
    /// <summary>
    /// Queues <paramref name="recipients"/> of the submission; a retried submission queues nothing twice. Returns those
    /// that were suppressed instead.
    /// </summary>
    public async Task<IReadOnlySet<string>> EnqueueAsync(Submission submission, MessageSummary summary, IReadOnlyList<string> recipients)
    {
        if (recipients.Count == 0) return new HashSet<string>();
        var blob = submission.Blob;
        string? signature = null;
        if (SigningDomain.For(summary.From, submission.EnvelopeFrom, await TenantDomainsAsync(summary.From, blob.TenantId)) is { } domain)
        {
            await using var content = await blobs.OpenReadAsync(blob.TenantId, new BlobRef(blob.Name, blob.Length), CancellationToken.None);
            signature = await signer.SignAsync(domain, content, CancellationToken.None);
        }
        // A null reverse-path (a bounce, RFC 5321 §4.5.5) stays null: no VERP, so no report can come back for it.
        var token = submission.EnvelopeFrom.Length == 0 ? null : VerpAddress.NewToken();
        var returnPath = token is null ? "" : VerpAddress.Create(token, AddressKey.DomainOf(submission.EnvelopeFrom));
        var now = clock.GetUtcNow();
        var sendingDomain = submission.EnvelopeFrom.Length == 0 ? null : AddressKey.DomainOf(submission.EnvelopeFrom).ToLowerInvariant();
        return await queue.EnqueueAsync(new QueuedMessage(submission.SubmissionId, submission.SenderAccountId, submission.EnvelopeFrom,
            returnPath, token, blob, signature, now, now + TimeSpan.FromHours(options.Value.QueueLifetimeHours),
            blob.TenantId, sendingDomain, StreamClasses.Parse(submission.StreamClass) ?? StreamClasses.Transactional), recipients);
    }

    /// <summary>
    /// The queue entry of one message of a bulk job, already made and stored: signed as <paramref name="signingDomain"/>
    /// (one signature per message, since each personalised message differs), with a VERP return path of its own on the
    /// sender's domain so that a bounce names its recipient, and the job's stream class for the pool rules. No local
    /// account sent it, so it is owed no DSN.
    /// </summary>
    public async Task<QueuedMessage> PrepareBulkAsync(string submissionId, string envelopeFrom, StoredBlob blob, MimeKit.MimeMessage message,
        string signingDomain, Guid bulkJobId, string streamClass)
    {
        var signature = await signer.SignAsync(signingDomain, message);
        var token = VerpAddress.NewToken();
        var now = clock.GetUtcNow();
        var sendingDomain = AddressKey.DomainOf(envelopeFrom);
        return new QueuedMessage(submissionId, null, envelopeFrom, VerpAddress.Create(token, sendingDomain), token, blob,
            signature, now, now + TimeSpan.FromHours(options.Value.QueueLifetimeHours), blob.TenantId, sendingDomain.ToLowerInvariant(),
            StreamClasses.Parse(streamClass) ?? StreamClasses.Transactional, bulkJobId);
    }

    /// <summary>The From field's domain when the sending tenant (whose key the message is stored under) hosts it.</summary>
    private async Task<IReadOnlyCollection<string>> TenantDomainsAsync(string fromHeader, string tenantId)
    {
        var domain = AddressKey.Normalize(MimeKit.MailboxAddress.TryParse(fromHeader, out var from) ? from.Address : fromHeader) is { } address
            ? AddressKey.DomainOf(address) : null;
        if (domain is null) return [];
        var hosted = await grains.GetGrain<IDomainGrain>(domain).GetAsync();
        return hosted?.TenantId == tenantId ? [domain] : [];
    }
}
