using Mail.Grains.Interfaces.Delivery;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Outbound.Bounces;
using Mail.Storage.Blobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Mail.Grains.Reputation.Feedback;

/// <summary>
/// Handles complaint reports (ARF, RFC 5965) that arrive at the feedback loop address or at a VERP return path. The
/// message is found by its VERP token, taken in this order from the address the report was sent to, the report's
/// Original-Mail-From, and the reported message's Return-Path; the recipient is the one row of that message named by
/// Original-Rcpt-To, else by the reported message's To/Cc, else the message's only row. A report that names no single
/// row (redacted, or not ours) is logged and dropped rather than guessed at.
/// </summary>
public sealed class ComplaintHandler(IBlobStore blobs, FeedbackStore store, FeedbackNotifier notifier, IOptions<FeedbackOptions> options,
    ILogger<ComplaintHandler> logger)
{
    /// <summary>Reads the report stored in <paramref name="blob"/> (submission <paramref name="reportId"/>) sent to the feedback address.</summary>
    public async Task HandleAsync(string reportId, StoredBlob blob, CancellationToken ct)
    {
        if (blob.Length > AsyncBounceHandler.MaxReportBytes) return;
        await using var stream = await blobs.OpenReadAsync(blob.TenantId, new BlobRef(blob.Name, blob.Length), ct);
        var message = await MimeMessage.LoadAsync(stream, ct);
        if (ArfReportParser.Parse(message) is { } report) await HandleAsync(reportId, report, null);
        else logger.LogInformation("Mail to the feedback address that is not an ARF report ({Subject}) was dropped", message.Subject);
    }

    /// <summary>Records <paramref name="report"/>; <paramref name="verpToken"/> is the token of the VERP address it came to, if it did.</summary>
    public async Task HandleAsync(string reportId, ArfReport report, string? verpToken)
    {
        if (!options.Value.ComplaintTypes.Contains(report.FeedbackType, StringComparer.OrdinalIgnoreCase))
        {
            logger.LogInformation("ARF report of type {Type} is not a complaint; dropped", report.FeedbackType);
            return;
        }
        var token = verpToken ?? TokenOf(report.OriginalMailFrom) ?? TokenOf(report.ReturnPath);
        if (token is null)
        {
            logger.LogWarning("ARF report {Report} names no VERP return path of ours; not attributed", reportId);
            return;
        }
        var rows = await store.RowsOfTokenAsync(token);
        if (RowOf(rows, report) is not { } row)
        {
            logger.LogWarning("ARF report {Report} for VERP token {Token} names no single recipient of its {Rows} rows; not attributed",
                reportId, token, rows.Count);
            return;
        }
        if (await store.ComplaintAsync(reportId, row, report) is { } attribution) await notifier.FeedbackAttributedAsync(attribution);
    }

    private static string? TokenOf(string? address) => VerpAddress.TryParse(address, out var token, out _) ? token : null;

    private static long? RowOf(IReadOnlyList<(long Id, string Recipient)> rows, ArfReport report)
    {
        foreach (var named in new[] { report.OriginalRcptTo, report.MessageRecipients })
        {
            var matches = rows.Where(r => named.Contains(r.Recipient, StringComparer.OrdinalIgnoreCase)).Select(r => r.Id).Distinct().ToArray();
            if (matches.Length == 1) return matches[0];
            if (matches.Length > 1) return null;
        }
        return rows.Count == 1 ? rows[0].Id : null;
    }
}
