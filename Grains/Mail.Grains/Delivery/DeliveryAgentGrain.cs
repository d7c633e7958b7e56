using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Bulk;
using Mail.Grains.Interfaces.Delivery;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Outbound;
using Mail.Grains.Interfaces.Reputation;
using Mail.Grains.Outbound.Bounces;
using Mail.Grains.Reputation.Feedback;
using Mail.Mime;
using Mail.Storage.Blobs;
using Mail.Grains.Interfaces.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Mail.Grains.Delivery;

/// <summary>
/// The MDA: parses a stored message once, files it for each local recipient (one stored copy per tenant,
/// referenced by every recipient's row), files the sender's copy in Sent, queues remote recipients (those the sending
/// tenant suppressed are recorded, not sent), applies bounce reports that come back to a VERP return path, hands
/// complaint reports sent to the feedback loop address to the <see cref="ComplaintHandler"/>, and unsubscribes for mail
/// to a List-Unsubscribe mailto.
/// Delivery ids derive from the submission id, so a retried submission files nothing twice.
/// </summary>
[StatelessWorker]
public sealed class DeliveryAgentGrain(IBlobStore blobs, OutboundIntake outbound, AsyncBounceHandler bounces, ComplaintHandler complaints,
    IOptions<FeedbackOptions> feedback, ILogger<DeliveryAgentGrain> logger) : Grain, IDeliveryAgentGrain
{
    /// <inheritdoc />
    public async Task<SubmissionResult> SubmitAsync(Submission submission)
    {
        using var activity = MailTelemetry.Source.StartActivity("delivery.submit");
        activity?.SetTag("mail.submission_id", submission.SubmissionId);
        // Every line logged about this message names it, its tenant and its sending account; never its content.
        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["SubmissionId"] = submission.SubmissionId, ["Tenant"] = submission.Blob.TenantId, ["Account"] = submission.SenderAccountId,
        });
        var result = await SubmitInScopeAsync(submission);
        foreach (var outcome in result.Recipients)
        {
            MailTelemetry.Deliveries.Add(1, new KeyValuePair<string, object?>("result", outcome.Status.ToString().ToLowerInvariant()));
        }
        logger.LogInformation("Message {MessageId} of {Size} bytes handled: {Delivered} delivered, {Queued} queued, {Rejected} rejected",
            submission.Summary?.MessageIdHeader, submission.Blob.Length,
            result.Recipients.Count(r => r.Status == RecipientStatus.Delivered), result.Recipients.Count(r => r.Status == RecipientStatus.Queued),
            result.Recipients.Count(r => r.Status == RecipientStatus.Rejected));
        return result;
    }

    private async Task<SubmissionResult> SubmitInScopeAsync(Submission submission)
    {
        var summary = submission.Summary ?? await ReadSummaryAsync(submission.Blob);
        var targets = await Task.WhenAll(submission.Recipients.Select(r => ClassifyAsync(r, submission.Routes)));

        long? sentId = null;
        if (submission.SenderAccountId is { } sender)
        {
            var sent = await GrainFactory.GetGrain<IMailboxGrain>(sender).DeliverAsync(new MessageDelivery(
                $"{submission.SubmissionId}/sent", SpecialFolders.Sent, submission.Blob, summary,
                [MessageFlags.Seen], [], submission.ReceivedAt));
            sentId = sent.MessageId;
        }

        var blobsByTenant = new Dictionary<string, StoredBlob> { [submission.Blob.TenantId] = submission.Blob };
        foreach (var tenant in targets.Where(t => t.Route is not null).Select(t => t.Route!.TenantId).Distinct())
        {
            if (!blobsByTenant.ContainsKey(tenant)) blobsByTenant[tenant] = await CopyBlobAsync(submission.Blob, tenant);
        }

        var localOutcomes = new Dictionary<string, Task<RecipientOutcome>>();
        foreach (var target in targets.Where(t => t.Route is not null))
        {
            var route = target.Route!;
            if (localOutcomes.ContainsKey(route.AccountId)) continue;
            localOutcomes[route.AccountId] = DeliverLocalAsync(submission, route, blobsByTenant[route.TenantId], summary, target.Address);
        }
        await Task.WhenAll(localOutcomes.Values);

        var remote = targets.Where(t => t.Remote).Select(t => t.Address).Distinct().ToArray();
        IReadOnlySet<string> suppressed;
        using (MailTelemetry.Source.StartActivity("outbound.enqueue")?.SetTag("mail.recipients", remote.Length))
        {
            suppressed = await outbound.EnqueueAsync(submission, summary, remote);
        }
        foreach (var token in targets.Select(t => t.VerpToken).OfType<string>().Distinct())
        {
            await bounces.HandleAsync(token, submission.SubmissionId, submission.Blob, CancellationToken.None);
        }
        if (targets.Any(t => t.Feedback)) await complaints.HandleAsync(submission.SubmissionId, submission.Blob, CancellationToken.None);
        // RFC 2369 §3.2: a message to the List-Unsubscribe mailto address unsubscribes whom its token names (not its sender).
        foreach (var token in targets.Select(t => t.UnsubscribeToken).OfType<string>().Distinct())
        {
            await GrainFactory.GetGrain<IUnsubscribeGrain>(0).UnsubscribeAsync(token);
        }

        var outcomes = targets.Select(t => t switch
        {
            { Rejection: { } why } => new RecipientOutcome(t.Address, RecipientStatus.Rejected, why),
            { Remote: true } when suppressed.Contains(t.Address) =>
                new RecipientOutcome(t.Address, RecipientStatus.Suppressed, "the address is on the suppression list; not sent"),
            { Remote: true } => new RecipientOutcome(t.Address, RecipientStatus.Queued, null),
            { VerpToken: not null } or { Feedback: true } or { UnsubscribeToken: not null } => new RecipientOutcome(t.Address, RecipientStatus.Delivered, null),
            _ => localOutcomes[t.Route!.AccountId].Result with { Address = t.Address },
        }).ToArray();
        return new SubmissionResult(sentId, outcomes);
    }

    /// <summary>
    /// Parses at most the first <see cref="MessageSummaryReader.ParsedPrefixBytes"/> of the message: the
    /// headers, the text and the start of any attachment are there, and a 50 MB message must not cost
    /// 50 MB of heap to summarize. MimeKit parses a cut-off message tolerantly.
    /// </summary>
    private async Task<MessageSummary> ReadSummaryAsync(StoredBlob blob)
    {
        await using var stream = await blobs.OpenReadAsync(blob.TenantId, new BlobRef(blob.Name, blob.Length), CancellationToken.None);
        var prefix = new byte[Math.Min(blob.Length, MessageSummaryReader.ParsedPrefixBytes)];
        await stream.ReadExactlyAsync(prefix);
        return MessageSummaryReader.Read(prefix);
    }

    private async Task<StoredBlob> CopyBlobAsync(StoredBlob blob, string tenantId)
    {
        await using var source = await blobs.OpenReadAsync(blob.TenantId, new BlobRef(blob.Name, blob.Length), CancellationToken.None);
        var copy = await blobs.PutAsync(tenantId, source, CancellationToken.None);
        return new StoredBlob(tenantId, copy.Name, copy.Length);
    }

    private async Task<Target> ClassifyAsync(string recipient, IReadOnlyDictionary<string, AddressRoute>? known)
    {
        var address = AddressKey.Normalize(recipient);
        if (address is null) return new Target(recipient, null, false, "not an e-mail address");
        if (FeedbackAddress.Matches(feedback.Value.FeedbackAddress, address)) return new Target(address, null, false, null, Feedback: true);
        if (known?.GetValueOrDefault(address) is { } resolved) return new Target(address, resolved, false, null);
        var route = await GrainFactory.GetGrain<IAddressGrain>(address).ResolveAsync();
        if (route is not null) return new Target(address, route, false, null);
        var hosted = await GrainFactory.GetGrain<IDomainGrain>(AddressKey.DomainOf(address)).GetAsync();
        if (hosted is null) return new Target(address, null, true, null);
        if (VerpAddress.TryParse(address, out var token, out _)) return new Target(address, null, false, null, token);
        return UnsubscribeAddress.TryParse(address, out var unsubscribe)
            ? new Target(address, null, false, null, UnsubscribeToken: unsubscribe)
            : new Target(address, null, false, "no such user here");
    }

    private async Task<RecipientOutcome> DeliverLocalAsync(Submission submission, AddressRoute route, StoredBlob blob, MessageSummary summary, string address)
    {
        try
        {
            await GrainFactory.GetGrain<IMailboxGrain>(route.AccountId).DeliverAsync(new MessageDelivery(
                $"{submission.SubmissionId}/{route.AccountId}", submission.Folder ?? SpecialFolders.Inbox, blob, summary, [], [], submission.ReceivedAt));
            return new RecipientOutcome(address, RecipientStatus.Delivered, null);
        }
        catch (MailException e) when (e.Code is MailErrorCode.QuotaExceeded or MailErrorCode.NotFound)
        {
            return new RecipientOutcome(address, RecipientStatus.Rejected, e.Message);
        }
    }

    /// <summary>
    /// A recipient: local (Route), remote, refused (Rejection), a VERP return path of ours (VerpToken: a bounce or complaint
    /// report), the feedback loop address (Feedback: a complaint report), or a List-Unsubscribe mailto address (UnsubscribeToken).
    /// </summary>
    private sealed record Target(string Address, AddressRoute? Route, bool Remote, string? Rejection, string? VerpToken = null, bool Feedback = false,
        string? UnsubscribeToken = null);
}
