using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Reputation.Feedback;
using Mail.Storage.Blobs;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Mail.Grains.Outbound.Bounces;

/// <summary>
/// Handles a report that arrived at the MX for a VERP return path (<c>bounces+token@domain</c>): each recipient a
/// DSN says failed is matched to its queue row by token and address and failed (its sender is owed a DSN exactly as
/// for a bounce during the SMTP transaction; a hard bounce suppresses the address). A complaint report (ARF) sent
/// there goes to the <see cref="ComplaintHandler"/>. Other mail to the address (auto-replies, spam) is read and dropped.
/// </summary>
public sealed class AsyncBounceHandler(IBlobStore blobs, FeedbackStore feedback, ComplaintHandler complaints, FeedbackNotifier notifier,
    ILogger<AsyncBounceHandler> logger)
{
    /// <summary>The largest report read; real DSNs and ARF reports are a few kilobytes plus the quoted message.</summary>
    public const long MaxReportBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Applies the report in <paramref name="blob"/> (submission <paramref name="reportId"/>) sent to VERP token
    /// <paramref name="token"/>; returns how many rows it failed.
    /// </summary>
    public async Task<int> HandleAsync(string token, string reportId, StoredBlob blob, CancellationToken ct)
    {
        if (blob.Length > MaxReportBytes) return 0;
        await using var stream = await blobs.OpenReadAsync(blob.TenantId, new BlobRef(blob.Name, blob.Length), ct);
        var message = await MimeMessage.LoadAsync(stream, ct);
        if (ArfReportParser.Parse(message) is { } complaint)
        {
            await complaints.HandleAsync(reportId, complaint, token);
            return 0;
        }
        var failed = 0;
        foreach (var recipient in BounceReportParser.Parse(message).Where(r => r.Action == DsnAction.Failed))
        {
            var diagnostic = recipient.DiagnosticCode ?? $"{recipient.Status} reported by a later hop";
            if (await feedback.BounceAsync(reportId, token, recipient.Address, recipient.Status ?? "5.0.0", diagnostic, recipient.RemoteMta) is not { } bounce) continue;
            failed++;
            await notifier.FeedbackAttributedAsync(bounce);
        }
        logger.LogInformation("Report for VERP token {Token}: {Failed} recipients failed", token, failed);
        return failed;
    }
}
