using Mail.Mime;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Tests.Infrastructure;
using Mail.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Mail.Grains.Tests.Mailboxes;

/// <summary>Builds RFC 5322 messages with MimeKit and stores them through the real (encrypted, filesystem) blob store.</summary>
public sealed class TestMessages(MailClusterFixture fixture)
{
    /// <summary>A plain text message; <paramref name="padding"/> extra body characters make it larger.</summary>
    public static MimeMessage Build(
        string subject,
        string from = "Alice <alice@example.org>",
        string to = "Bob <bob@example.org>",
        string body = "Hello there.",
        int padding = 0,
        string? messageId = null,
        string? inReplyTo = null)
    {
        var message = new MimeMessage();
        message.From.Add(InternetAddress.Parse(from));
        message.To.Add(InternetAddress.Parse(to));
        message.Subject = subject;
        message.Date = new DateTimeOffset(2026, 11, 24, 9, 30, 0, TimeSpan.Zero);
        message.MessageId = messageId ?? MimeKit.Utils.MimeUtils.GenerateMessageId("test.example");
        if (inReplyTo is not null)
        {
            message.InReplyTo = inReplyTo;
            message.References.Add(inReplyTo);
        }
        message.Body = new TextPart("plain") { Text = body + new string('x', padding) };
        return message;
    }

    /// <summary>The blob store the silo uses (same data directory, same tenant keys).</summary>
    public Task<IBlobStore> BlobsAsync() => Task.FromResult(fixture.SiloServices.GetRequiredService<IBlobStore>());

    /// <summary>Stores a message for a tenant.</summary>
    public async Task<StoredBlob> StoreAsync(string tenantId, MimeMessage message)
    {
        using var bytes = new MemoryStream();
        await message.WriteToAsync(bytes);
        bytes.Position = 0;
        var stored = await (await BlobsAsync()).PutAsync(tenantId, bytes, CancellationToken.None);
        return new StoredBlob(tenantId, stored.Name, stored.Length);
    }

    /// <summary>Reads a stored blob back as bytes.</summary>
    public async Task<byte[]> ReadAsync(StoredBlob blob)
    {
        await using var stream = await (await BlobsAsync()).OpenReadAsync(blob.TenantId, new BlobRef(blob.Name, blob.Length), CancellationToken.None);
        using var bytes = new MemoryStream();
        await stream.CopyToAsync(bytes);
        return bytes.ToArray();
    }

    /// <summary>Stores a message and describes its delivery into a folder, with a fresh delivery id.</summary>
    public async Task<MessageDelivery> DeliveryAsync(
        string tenantId, MimeMessage message, string folder = SpecialFolders.Inbox, IReadOnlyList<string>? flags = null, IReadOnlyList<string>? labels = null)
    {
        var blob = await StoreAsync(tenantId, message);
        return new MessageDelivery($"test-{Guid.NewGuid():N}", folder, blob, MessageSummaryReader.Read(message),
            flags ?? [], labels ?? [], DateTimeOffset.UtcNow);
    }
}
