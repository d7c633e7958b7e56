using Mail.Grains.Hosting;
using System.Security.Cryptography;
using System.Text;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Mime;
using Mail.Storage.Blobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Mail.Grains.Outbound.Bounces;

/// <summary>
/// Sends the DSNs the queue owes (RFC 3464): one report per message and kind, filed in the local sender's
/// INBOX, then the rows are cleared. The report's delivery id is derived from its rows, so a crash between
/// filing and clearing files nothing twice. DSNs never leave the system and never go to a null sender.
/// </summary>
public sealed class DsnNotifier(
    OwedDsnStore owed,
    IBlobStore blobs,
    IGrainFactory grains,
    IOptions<OutboundOptions> options,
    MailClock clock,
    ILogger<DsnNotifier> logger)
{
    /// <summary>The most of an original message's header that a report quotes.</summary>
    private const int MaxQuotedHeaderBytes = DsnBuilder.MaxOriginalHeaderBytes;

    /// <summary>Files every owed DSN (in batches) and clears its rows.</summary>
    public async Task SendOwedAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var rows = await owed.ReadAsync(500);
            if (rows.Count == 0) return;
            foreach (var report in rows.GroupBy(r => (r.SubmissionId, r.Kind)))
            {
                try
                {
                    await SendAsync(report.ToArray(), ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "DSN for {Submission} could not be filed; it stays owed", report.Key.SubmissionId);
                    return;
                }
            }
        }
    }

    private async Task SendAsync(OwedDsn[] rows, CancellationToken ct)
    {
        var first = rows[0];
        var headers = await ReadHeaderAsync(first.Blob, ct);
        var original = HeaderList.Load(new MemoryStream(headers));
        var delayed = first.Kind == "delayed";
        var report = new DsnReport(options.Value.Hostname, first.EnvelopeFrom, first.CreatedAt,
            rows.Select(r => new DsnRecipient(
                r.Recipient, delayed ? DsnAction.Delayed : DsnAction.Failed,
                r.StatusCode ?? (delayed ? "4.0.0" : "5.0.0"), r.LastAttemptAt ?? clock.GetUtcNow(),
                RemoteMta: r.RemoteMta, DiagnosticCode: r.LastReply, WillRetryUntil: delayed ? r.ExpiresAt : null)).ToArray(),
            headers, original[HeaderId.Subject], original[HeaderId.MessageId]);
        var bytes = DsnBuilder.ToBytes(DsnBuilder.Build(report));

        var stored = await blobs.PutAsync(first.Blob.TenantId, new MemoryStream(bytes), ct);
        var deliveryId = $"dsn/{first.Kind}/{first.SubmissionId}/{RowsHash(rows)}";
        try
        {
            await grains.GetGrain<IMailboxGrain>(first.SenderAccountId).DeliverAsync(new MessageDelivery(
                deliveryId, SpecialFolders.Inbox, new StoredBlob(first.Blob.TenantId, stored.Name, stored.Length),
                MessageSummaryReader.Read(bytes), [], [], clock.GetUtcNow()));
        }
        catch (MailException e) when (e.Code is MailErrorCode.NotFound or MailErrorCode.QuotaExceeded)
        {
            // A deleted account or a full mailbox cannot take the report; keeping it owed forever helps no one.
            logger.LogWarning("DSN for {Submission} to {Sender} dropped: {Reason}", first.SubmissionId, first.EnvelopeFrom, e.Message);
            await blobs.DeleteAsync(first.Blob.TenantId, stored, ct);
        }
        await owed.ClearAsync(rows.Select(r => r.RowId).ToArray(), first.Kind);
    }

    private async Task<byte[]> ReadHeaderAsync(StoredBlob blob, CancellationToken ct)
    {
        await using var stream = await blobs.OpenReadAsync(blob.TenantId, new BlobRef(blob.Name, blob.Length), ct);
        var buffer = new byte[Math.Min(blob.Length, MaxQuotedHeaderBytes)];
        await stream.ReadExactlyAsync(buffer, ct);
        var end = buffer.AsSpan().IndexOf("\r\n\r\n"u8);
        return end < 0 ? buffer : buffer[..(end + 2)];
    }

    private static string RowsHash(OwedDsn[] rows) =>
        Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(string.Join(',', rows.Select(r => r.RowId)))))[..16].ToLowerInvariant();
}
