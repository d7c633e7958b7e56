using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Bulk;
using Mail.Grains.Interfaces.Delivery;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Delivery.Sieve;
using Mail.Grains.Mailboxes;
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
/// to a List-Unsubscribe mailto. A local recipient's active Sieve script decides where its copy is filed before it is
/// filed, and what leaves because of it (redirects, a vacation reply, a DSN for a reject the SMTP reply could not carry).
/// Delivery ids derive from the submission id, so a retried submission files nothing twice.
/// Reentrant: the agent holds no state of its own and spends its time waiting on mailbox commits, so one activation takes
/// every submission that arrives meanwhile; without it the silo delivers only as many messages at once as it has cores,
/// and the group commit behind the mailbox grains has nothing to group.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class DeliveryAgentGrain(IBlobStore blobs, OutboundIntake outbound, AsyncBounceHandler bounces, ComplaintHandler complaints,
    IOptions<FeedbackOptions> feedback, SieveFilter sieve, IOptions<OutboundOptions> outboundOptions, MailboxDeliveryBatcher batcher,
    ILogger<DeliveryAgentGrain> logger) : Grain, IDeliveryAgentGrain
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
            var sent = await batcher.DeliverAsync(sender, new MessageDelivery(
                $"{submission.SubmissionId}/sent", SpecialFolders.Sent, submission.Blob, summary,
                [MessageFlags.Seen], [], submission.ReceivedAt));
            sentId = sent.MessageId;
        }

        var blobsByTenant = new Dictionary<string, StoredBlob> { [submission.Blob.TenantId] = submission.Blob };
        foreach (var tenant in targets.Where(t => t.Route is not null).Select(t => t.Route!.TenantId).Distinct())
        {
            if (!blobsByTenant.ContainsKey(tenant)) blobsByTenant[tenant] = await CopyBlobAsync(submission.Blob, tenant);
        }

        var localOutcomes = new Dictionary<string, Task<LocalDelivery>>();
        foreach (var target in targets.Where(t => t.Route is not null))
        {
            var route = target.Route!;
            if (localOutcomes.ContainsKey(route.AccountId)) continue;
            localOutcomes[route.AccountId] = DeliverLocalAsync(submission, route, blobsByTenant[route.TenantId], summary, target.Address);
        }
        await Task.WhenAll(localOutcomes.Values);
        // What Sieve sends (redirects, vacation replies) is a submission of its own, delivered by this activation in turn.
        foreach (var outgoing in localOutcomes.Values.SelectMany(l => l.Result.Outgoing)) await SubmitAsync(outgoing);

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
            _ => localOutcomes[t.Route!.AccountId].Result.Outcome with { Address = t.Address },
        }).ToArray();
        await ReportSieveRejectsAsync(submission, outcomes, localOutcomes.Values.Select(l => l.Result).Where(l => l.RejectedHeader is not null).ToList());
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

    private async Task<LocalDelivery> DeliverLocalAsync(Submission submission, AddressRoute route, StoredBlob blob, MessageSummary summary, string address)
    {
        var mailbox = GrainFactory.GetGrain<IMailboxGrain>(route.AccountId);
        var folder = submission.Folder ?? SpecialFolders.Inbox;
        var deliveryId = $"{submission.SubmissionId}/{route.AccountId}";
        try
        {
            var decision = await sieve.DecideAsync(route.AccountId, submission.EnvelopeFrom, address, blob);
            if (decision is null)
            {
                await batcher.DeliverAsync(route.AccountId, new MessageDelivery(deliveryId, folder, blob, summary, [], [], submission.ReceivedAt));
                return new LocalDelivery(new RecipientOutcome(address, RecipientStatus.Delivered, null), []);
            }
            var outcome = decision.Outcome;
            if (outcome.Reject is { } reason)
            {
                // RFC 5429 §2.1: refused in the SMTP session when every recipient refuses (550), otherwise by DSN.
                return new LocalDelivery(new RecipientOutcome(address, RecipientStatus.Rejected, $"rejected by the recipient's filter: {reason}"), [], decision.Header);
            }
            var filed = 0;
            foreach (var filing in outcome.Filings.DistinctBy(f => f.Folder ?? folder))
            {
                var target = await FilingFolderAsync(mailbox, filing, folder);
                await mailbox.DeliverAsync(new MessageDelivery(filed == 0 ? deliveryId : $"{deliveryId}/{filed}", target, blob, summary,
                    SieveFilter.StorableFlags(filing.Flags), [], submission.ReceivedAt));
                filed++;
            }
            var outgoing = new List<Submission>();
            for (var i = 0; i < outcome.Redirects.Count; i++)
            {
                outgoing.Add(await sieve.RedirectAsync(submission, blob, route.TenantId, address, outcome.Redirects[i], i, summary));
            }
            if (await sieve.VacationAsync(submission, decision, route.AccountId, route.TenantId, address) is { } reply) outgoing.Add(reply);
            return new LocalDelivery(new RecipientOutcome(address, RecipientStatus.Delivered, null), outgoing);
        }
        catch (MailException e) when (e.Code is MailErrorCode.QuotaExceeded or MailErrorCode.NotFound)
        {
            return new LocalDelivery(new RecipientOutcome(address, RecipientStatus.Rejected, e.Message), []);
        }
    }

    /// <summary>
    /// Where a Sieve filing goes: keep is the delivery's folder; fileinto :create makes a missing folder (RFC 5490 §3.2);
    /// fileinto a folder that does not exist, without :create, keeps the message in the delivery's folder instead of losing it.
    /// </summary>
    private static async Task<string> FilingFolderAsync(IMailboxGrain mailbox, SieveFiling filing, string keep)
    {
        if (filing.Folder is not { } name) return keep;
        var folders = await mailbox.ListFoldersAsync();
        if (folders.Any(f => f.Name.Equals(name.Trim('/'), StringComparison.Ordinal))) return name;
        if (!filing.Create) return keep;
        try
        {
            return (await mailbox.CreateFolderAsync(name)).Name;
        }
        catch (MailException e) when (e.Code == MailErrorCode.AlreadyExists)
        {
            return name;
        }
    }

    /// <summary>
    /// RFC 5429 §2.1: a Sieve reject that the SMTP reply could not carry (another recipient took the message, so the
    /// reply was 250) is reported to the envelope sender by a DSN, sent with a null return path; a null sender gets none.
    /// </summary>
    private async Task ReportSieveRejectsAsync(Submission submission, RecipientOutcome[] outcomes, List<LocalDelivery> rejected)
    {
        if (rejected.Count == 0 || submission.EnvelopeFrom.Length == 0 || outcomes.All(o => o.Status == RecipientStatus.Rejected)) return;
        var now = DateTimeOffset.UtcNow;
        var report = new DsnReport(outboundOptions.Value.Hostname, submission.EnvelopeFrom, submission.ReceivedAt,
            rejected.Select(r => new DsnRecipient(r.Outcome.Address, DsnAction.Failed, "5.7.1", now, DiagnosticCode: r.Outcome.Detail)).ToArray(),
            rejected[0].RejectedHeader!);
        var bytes = DsnBuilder.ToBytes(DsnBuilder.Build(report));
        var stored = await blobs.PutAsync(submission.Blob.TenantId, new MemoryStream(bytes, writable: false), CancellationToken.None);
        await SubmitAsync(new Submission($"{submission.SubmissionId}/sieve-reject", new StoredBlob(submission.Blob.TenantId, stored.Name, stored.Length),
            "", [submission.EnvelopeFrom], null, now, MessageSummaryReader.Read(bytes)));
    }

    /// <summary>A local recipient's outcome, what its Sieve script sends, and for a Sieve reject the header block a DSN quotes.</summary>
    private sealed record LocalDelivery(RecipientOutcome Outcome, IReadOnlyList<Submission> Outgoing, byte[]? RejectedHeader = null);

    /// <summary>
    /// A recipient: local (Route), remote, refused (Rejection), a VERP return path of ours (VerpToken: a bounce or complaint
    /// report), the feedback loop address (Feedback: a complaint report), or a List-Unsubscribe mailto address (UnsubscribeToken).
    /// </summary>
    private sealed record Target(string Address, AddressRoute? Route, bool Remote, string? Rejection, string? VerpToken = null, bool Feedback = false,
        string? UnsubscribeToken = null);
}
