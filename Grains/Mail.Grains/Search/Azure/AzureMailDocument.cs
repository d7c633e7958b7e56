using Azure.Search.Documents.Indexes;
using Azure.Search.Documents.Indexes.Models;

namespace Mail.Grains.Search.Azure;

/// <summary>
/// A message as stored in the Azure AI Search index. Unlike PostgreSQL, Azure cannot join the live row, so the row
/// attributes (folder, flags, labels) are mirrored here and updated by the indexer on every flag, label or move change;
/// hits are still read back through the live rows, so deleted mail never shows.
/// </summary>
public sealed class AzureMailDocument
{
    /// <summary>Key: base64url of the account id, '_', message id.</summary>
    [SimpleField(IsKey = true, IsFilterable = true)]
    public string Id { get; set; } = "";

    /// <summary>Account id (every query filters on it).</summary>
    [SimpleField(IsFilterable = true)]
    public string AccountId { get; set; } = "";

    /// <summary>Message id in the mailbox.</summary>
    [SimpleField(IsFilterable = true)]
    public long MessageId { get; set; }

    /// <summary>Received date.</summary>
    [SimpleField(IsFilterable = true, IsSortable = true)]
    public DateTimeOffset InternalDate { get; set; }

    /// <summary>Subject.</summary>
    [SearchableField(AnalyzerName = LexicalAnalyzerName.Values.EnMicrosoft)]
    public string Subject { get; set; } = "";

    /// <summary>Body text (empty when Mail:Search:IndexBodies is off).</summary>
    [SearchableField(AnalyzerName = LexicalAnalyzerName.Values.EnMicrosoft)]
    public string Body { get; set; } = "";

    /// <summary>From header.</summary>
    [SearchableField(AnalyzerName = LexicalAnalyzerName.Values.Simple)]
    public string From { get; set; } = "";

    /// <summary>To header.</summary>
    [SearchableField(AnalyzerName = LexicalAnalyzerName.Values.Simple)]
    public string To { get; set; } = "";

    /// <summary>Cc header.</summary>
    [SearchableField(AnalyzerName = LexicalAnalyzerName.Values.Simple)]
    public string Cc { get; set; } = "";

    /// <summary>Bcc header.</summary>
    [SearchableField(AnalyzerName = LexicalAnalyzerName.Values.Simple)]
    public string Bcc { get; set; } = "";

    /// <summary>List-Id header.</summary>
    [SearchableField(AnalyzerName = LexicalAnalyzerName.Values.Simple)]
    public string ListId { get; set; } = "";

    /// <summary>Delivered-To headers.</summary>
    [SearchableField(AnalyzerName = LexicalAnalyzerName.Values.Simple)]
    public string DeliveredTo { get; set; } = "";

    /// <summary>Attachment file names.</summary>
    [SearchableField(AnalyzerName = LexicalAnalyzerName.Values.Simple)]
    public string AttachmentNames { get; set; } = "";

    /// <summary>Folder name, lower-cased.</summary>
    [SimpleField(IsFilterable = true)]
    public string Folder { get; set; } = "";

    /// <summary>IMAP flags and keywords.</summary>
    [SimpleField(IsFilterable = true)]
    public string[] Flags { get; set; } = [];

    /// <summary>Labels, lower-cased.</summary>
    [SimpleField(IsFilterable = true)]
    public string[] Labels { get; set; } = [];

    /// <summary>Size in octets.</summary>
    [SimpleField(IsFilterable = true)]
    public long Size { get; set; }

    /// <summary>Whether it has attachments.</summary>
    [SimpleField(IsFilterable = true)]
    public bool HasAttachments { get; set; }

    /// <summary>Message-ID header without brackets.</summary>
    [SimpleField(IsFilterable = true)]
    public string? MessageIdHeader { get; set; }

    /// <summary>The index key of a message.</summary>
    public static string Key(string accountId, long messageId) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(accountId)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "_" + messageId;

    /// <summary>The stored form of a document.</summary>
    public static AzureMailDocument Of(SearchDocument d) => new AzureMailDocument
    {
        Id = Key(d.AccountId, d.MessageId),
        AccountId = d.AccountId,
        MessageId = d.MessageId,
        InternalDate = d.InternalDate,
        Subject = d.Subject,
        Body = d.Body,
        From = d.From,
        To = string.Join(", ", d.To),
        Cc = string.Join(", ", d.Cc),
        Bcc = string.Join(", ", d.Bcc),
        ListId = d.ListId,
        DeliveredTo = d.DeliveredTo,
        AttachmentNames = SearchWords.FileNames(d.AttachmentNames),
    }.With(d.Row);

    /// <summary>Sets the mirrored row attributes.</summary>
    public AzureMailDocument With(SearchRowAttributes row)
    {
        Folder = row.Folder.ToLowerInvariant();
        Flags = [.. row.Flags];
        Labels = [.. row.Labels.Select(l => l.ToLowerInvariant())];
        Size = row.Size;
        HasAttachments = row.HasAttachments;
        MessageIdHeader = row.MessageIdHeader;
        return this;
    }
}
