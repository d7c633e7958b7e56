namespace Mail.Grains.Search;

/// <summary>
/// Everything an engine indexes for one message: text from its row and blob, and the row's attributes for engines
/// that cannot join the live row (Azure AI Search filters on them; PostgreSQL reads them from the row).
/// </summary>
public sealed record SearchDocument(
    string AccountId,
    long MessageId,
    DateTimeOffset InternalDate,
    string From,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    IReadOnlyList<string> Bcc,
    string ListId,
    string DeliveredTo,
    IReadOnlyList<string> AttachmentNames,
    string Subject,
    string Body,
    SearchRowAttributes Row);

/// <summary>The attributes of a message row a query filters on.</summary>
public sealed record SearchRowAttributes(
    string Folder,
    IReadOnlyList<string> Flags,
    IReadOnlyList<string> Labels,
    long Size,
    bool HasAttachments,
    string? MessageIdHeader);
