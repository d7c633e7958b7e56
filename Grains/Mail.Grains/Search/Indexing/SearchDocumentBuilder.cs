using Mail.Mime;
using Mail.Storage.Blobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Mail.Grains.Search.Indexing;

/// <summary>Turns a message row and its blob (decrypted by the blob store, parsed by MimeKit) into a <see cref="SearchDocument"/>.</summary>
public sealed class SearchDocumentBuilder(IBlobStore blobs, IOptions<SearchOptions> options, ILogger<SearchDocumentBuilder> logger)
{
    /// <summary>Builds the document of <paramref name="row"/> of <paramref name="accountId"/>.</summary>
    public async Task<SearchDocument> BuildAsync(string accountId, IndexRow row, CancellationToken ct)
    {
        var settings = options.Value;
        SearchText text;
        try
        {
            await using var content = await blobs.OpenReadAsync(row.Blob.TenantId, new BlobRef(row.Blob.Name, row.Blob.Length), ct);
            var message = await MimeMessage.LoadAsync(content, ct);
            text = SearchTextReader.Read(message, settings.IndexBodies ? settings.MaxBodyChars : 0);
        }
        catch (Exception e) when (e is BlobNotFoundException or BlobCorruptException or FormatException)
        {
            // The row stays searchable by its header fields; the content problem is the blob store's to report.
            logger.LogWarning(e, "Message {MessageId} of {Account} indexed without its content", row.MessageId, accountId);
            text = new SearchText("", [], [], "", "");
        }
        return new SearchDocument(accountId, row.MessageId, row.InternalDate, row.From, row.To, row.Cc, text.Bcc, text.ListId,
            text.DeliveredTo, text.AttachmentNames, row.Subject, text.Body, row.Attributes);
    }
}
