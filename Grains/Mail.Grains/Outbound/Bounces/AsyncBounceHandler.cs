using Mail.Grains.Interfaces.Mailboxes;
using Mail.Storage.Blobs;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Mail.Grains.Outbound.Bounces;

/// <summary>
/// Handles a report that arrived at the MX for a VERP return path (<c>bounces+token@domain</c>): each
/// recipient the report says failed is matched to its queue row by token and address, marked failed, and
/// its sender is owed a DSN exactly as for a bounce during the SMTP transaction. Other mail to the address
/// (auto-replies, spam) is read and dropped.
/// </summary>
public sealed class AsyncBounceHandler(IBlobStore blobs, OutboundLeaseStore leases, ILogger<AsyncBounceHandler> logger)
{
    /// <summary>The largest report read; real DSNs are a few kilobytes plus the quoted message.</summary>
    private const long MaxReportBytes = 4 * 1024 * 1024;

    /// <summary>Applies the report in <paramref name="blob"/> sent to VERP token <paramref name="token"/>; returns how many rows it failed.</summary>
    public async Task<int> HandleAsync(string token, StoredBlob blob, CancellationToken ct)
    {
        if (blob.Length > MaxReportBytes) return 0;
        await using var stream = await blobs.OpenReadAsync(blob.TenantId, new BlobRef(blob.Name, blob.Length), ct);
        var message = await MimeMessage.LoadAsync(stream, ct);
        var failed = 0;
        foreach (var recipient in BounceReportParser.Parse(message).Where(r => r.Action == DsnAction.Failed))
        {
            var diagnostic = recipient.DiagnosticCode ?? $"{recipient.Status} reported by a later hop";
            if (await leases.BounceAsync(token, recipient.Address, recipient.Status ?? "5.0.0", diagnostic, recipient.RemoteMta)) failed++;
        }
        logger.LogInformation("Report for VERP token {Token}: {Failed} recipients failed", token, failed);
        return failed;
    }
}
