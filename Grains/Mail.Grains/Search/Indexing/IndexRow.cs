using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Grains.Search.Indexing;

/// <summary>A message row as the indexer reads it: where its content is, its header fields and its attributes.</summary>
public sealed record IndexRow(
    long MessageId,
    StoredBlob Blob,
    DateTimeOffset InternalDate,
    string From,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    string Subject,
    SearchRowAttributes Attributes);
