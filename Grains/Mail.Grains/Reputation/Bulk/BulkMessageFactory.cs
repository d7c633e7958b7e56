using Mail.Grains.Hosting;
using System.Text.Json;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Outbound;
using Mail.Storage.Blobs;
using MimeKit;

namespace Mail.Grains.Reputation.Bulk;

/// <summary>
/// Turns one pending recipient into a queued message: renders and builds it, stores it (one encrypted blob per message,
/// since every message differs) and has <see cref="OutboundIntake"/> sign it and give it its return path.
/// </summary>
public sealed class BulkMessageFactory(IBlobStore blobs, OutboundIntake intake, MailClock clock)
{
    private static readonly FormatOptions WireFormat = new() { NewLineFormat = NewLineFormat.Dos };

    /// <summary>The submission id of a job's recipient: the outbound row's idempotence key.</summary>
    public static string SubmissionId(Guid jobId, int seq) => $"bulk:{jobId:N}:{seq}";

    /// <summary>
    /// The message built for <paramref name="recipient"/>, or null with <paramref name="error"/> when its substitutions
    /// are not a JSON object of strings (a message that cannot be made fails that recipient only).
    /// </summary>
    public MimeMessage? Build(BulkJobContext context, PendingRecipient recipient, out string? error)
    {
        Dictionary<string, string> vars;
        try
        {
            vars = recipient.VarsJson is null ? new(StringComparer.Ordinal)
                : JsonSerializer.Deserialize<Dictionary<string, string>>(recipient.VarsJson) ?? new(StringComparer.Ordinal);
        }
        catch (JsonException e)
        {
            error = $"vars are not an object of strings: {e.Message}";
            return null;
        }
        error = null;
        return BulkMessageBuilder.Build(context, recipient.Address, vars, clock.GetUtcNow());
    }

    /// <summary>Stores <paramref name="message"/> under the job's tenant, then signs it and makes its queue entry.</summary>
    public async Task<QueuedMessage> StoreAsync(BulkJobContext context, PendingRecipient recipient, MimeMessage message, CancellationToken ct)
    {
        var job = context.Job;
        using var content = new MemoryStream();
        // Written before signing: the signer adds its fields to the message, and they travel apart from the blob.
        await message.WriteToAsync(WireFormat, content, ct);
        content.Position = 0;
        var stored = await blobs.PutAsync(job.TenantId, content, ct);
        return await intake.PrepareBulkAsync(SubmissionId(job.Id, recipient.Seq), job.FromAddress,
            new StoredBlob(job.TenantId, stored.Name, stored.Length), message, context.Domain, job.Id, job.Class);
    }
}
