namespace Mail.Grains.Interfaces.Mailboxes;

/// <summary>A reference to encrypted message content in the blob store, owned by a tenant.</summary>
[GenerateSerializer, Immutable, Alias("mail.StoredBlob")]
public sealed record StoredBlob(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string Name,
    [property: Id(2)] long Length);

/// <summary>
/// The envelope summary of a message, parsed once at delivery, with the listing header fields' raw octets
/// (see Mail.Mime.HeaderCache) when they were at hand and small.
/// </summary>
[GenerateSerializer, Immutable, Alias("mail.MessageSummary")]
public sealed record MessageSummary(
    [property: Id(0)] string From,
    [property: Id(1)] IReadOnlyList<string> To,
    [property: Id(2)] IReadOnlyList<string> Cc,
    [property: Id(3)] string Subject,
    [property: Id(4)] DateTimeOffset? Date,
    [property: Id(5)] string? MessageIdHeader,
    [property: Id(6)] IReadOnlyList<string> References,
    [property: Id(7)] string Preview,
    [property: Id(8)] bool HasAttachments,
    [property: Id(9)] byte[]? CachedHeader = null);

/// <summary>A request to file a stored message into a folder of this mailbox.</summary>
[GenerateSerializer, Immutable, Alias("mail.MessageDelivery")]
public sealed record MessageDelivery(
    [property: Id(0)] string DeliveryId,
    [property: Id(1)] string Folder,
    [property: Id(2)] StoredBlob Blob,
    [property: Id(3)] MessageSummary Summary,
    [property: Id(4)] IReadOnlyList<string> Flags,
    [property: Id(5)] IReadOnlyList<string> Labels,
    [property: Id(6)] DateTimeOffset InternalDate);

/// <summary>The outcome of a delivery.</summary>
[GenerateSerializer, Immutable, Alias("mail.DeliveryResult")]
public sealed record DeliveryResult(
    [property: Id(0)] long MessageId,
    [property: Id(1)] bool Duplicate);

/// <summary>One delivery's outcome in a batch: its result, or the refusal <see cref="IMailboxGrain.DeliverAsync"/> would have thrown.</summary>
[GenerateSerializer, Immutable, Alias("mail.DeliveryOutcome")]
public sealed record DeliveryOutcome(
    [property: Id(0)] DeliveryResult? Result,
    [property: Id(1)] Errors.MailErrorCode? Error = null,
    [property: Id(2)] string? Message = null);

/// <summary>A folder and its IMAP counters.</summary>
[GenerateSerializer, Immutable, Alias("mail.FolderInfo")]
public sealed record FolderInfo(
    [property: Id(0)] int FolderId,
    [property: Id(1)] string Name,
    [property: Id(2)] string? SpecialUse,
    [property: Id(3)] long UidValidity,
    [property: Id(4)] long UidNext,
    [property: Id(5)] long HighestModseq,
    [property: Id(6)] int MessageCount,
    [property: Id(7)] int UnseenCount,
    [property: Id(8)] long TotalSize,
    [property: Id(9)] bool Subscribed);

/// <summary>One message's metadata row.</summary>
[GenerateSerializer, Immutable, Alias("mail.MessageRecord")]
public sealed record MessageRecord(
    [property: Id(0)] long MessageId,
    [property: Id(1)] string Folder,
    [property: Id(2)] long Uid,
    [property: Id(3)] long Modseq,
    [property: Id(4)] IReadOnlyList<string> Flags,
    [property: Id(5)] IReadOnlyList<string> Labels,
    [property: Id(6)] long ThreadId,
    [property: Id(7)] StoredBlob Blob,
    [property: Id(8)] long Size,
    [property: Id(9)] DateTimeOffset InternalDate,
    [property: Id(10)] MessageSummary Summary);

/// <summary>Where a message's content is, and its header cache (Mail.Mime.HeaderCache) when it has one.</summary>
[GenerateSerializer, Immutable, Alias("mail.MessageContent")]
public sealed record MessageContent(
    [property: Id(0)] long MessageId,
    [property: Id(1)] StoredBlob Blob,
    [property: Id(2)] byte[]? CachedHeader);

/// <summary>How <see cref="IMailboxGrain.StoreFlagsAsync"/> applies its flags.</summary>
public enum FlagStoreMode
{
    /// <summary>The message's flags become exactly these.</summary>
    Replace = 0,
    /// <summary>These flags are added.</summary>
    Add = 1,
    /// <summary>These flags are removed.</summary>
    Remove = 2,
}

/// <summary>A message's flags and MODSEQ after a flag store.</summary>
[GenerateSerializer, Immutable, Alias("mail.MessageFlagState")]
public sealed record MessageFlagState(
    [property: Id(0)] long MessageId,
    [property: Id(1)] IReadOnlyList<string> Flags,
    [property: Id(2)] long Modseq);

/// <summary>
/// The outcome of a flag store: every message found (changed or not), those left alone for UNCHANGEDSINCE, and the
/// MODSEQs the write took (<see cref="FirstModseq"/> to <see cref="LastModseq"/>; 0 and 0 when nothing changed), by which
/// a session tells its own changes in the change log from other sessions' ones.
/// </summary>
[GenerateSerializer, Immutable, Alias("mail.FlagStoreResult")]
public sealed record FlagStoreResult(
    [property: Id(0)] IReadOnlyList<MessageFlagState> Stored,
    [property: Id(1)] IReadOnlyList<long> Modified,
    [property: Id(2)] long FirstModseq = 0,
    [property: Id(3)] long LastModseq = 0);

/// <summary>Where a copied or moved message landed: its source id, its id there (the same for a move) and its UID there.</summary>
[GenerateSerializer, Immutable, Alias("mail.PlacedMessage")]
public sealed record PlacedMessage(
    [property: Id(0)] long SourceMessageId,
    [property: Id(1)] long MessageId,
    [property: Id(2)] long Uid);

/// <summary>A page of messages and the folder's total.</summary>
[GenerateSerializer, Immutable, Alias("mail.MessagePage")]
public sealed record MessagePage(
    [property: Id(0)] IReadOnlyList<MessageRecord> Items,
    [property: Id(1)] long Total);

/// <summary>A change to a message: each member left null is left alone.</summary>
[GenerateSerializer, Immutable, Alias("mail.MessageUpdate")]
public sealed record MessageUpdate(
    [property: Id(0)] IReadOnlyList<string>? AddFlags = null,
    [property: Id(1)] IReadOnlyList<string>? RemoveFlags = null,
    [property: Id(2)] IReadOnlyList<string>? AddLabels = null,
    [property: Id(3)] IReadOnlyList<string>? RemoveLabels = null,
    [property: Id(4)] string? MoveTo = null);

/// <summary>
/// One message as a slot of a folder: enough to number, size and flag it without its envelope; with the time it was placed
/// in the folder (IMAP SAVEDATE, RFC 8514) and its thread id (OBJECTID THREADID, RFC 8474 §5.2).
/// </summary>
[GenerateSerializer, Immutable, Alias("mail.MessageSlot")]
public sealed record MessageSlot(
    [property: Id(0)] long MessageId,
    [property: Id(1)] long Uid,
    [property: Id(2)] long Modseq,
    [property: Id(3)] IReadOnlyList<string> Flags,
    [property: Id(4)] long Size,
    [property: Id(5)] DateTimeOffset InternalDate,
    [property: Id(6)] DateTimeOffset? SaveDate = null,
    [property: Id(7)] long ThreadId = 0);

/// <summary>A folder's counters and its UID map, both as of the folder's HIGHESTMODSEQ (IMAP SELECT, POP3 login).</summary>
[GenerateSerializer, Immutable, Alias("mail.FolderView")]
public sealed record FolderView(
    [property: Id(0)] FolderInfo Folder,
    [property: Id(1)] FolderMap Map);

/// <summary>Current flags of some messages of a folder: <see cref="Uids"/> ascending, <see cref="Flags"/> by position.</summary>
[GenerateSerializer, Immutable, Alias("mail.FlagPage")]
public sealed record FlagPage(
    [property: Id(0)] long[] Uids,
    [property: Id(1)] IReadOnlyList<string>[] Flags);

/// <summary>Quota use of a mailbox.</summary>
[GenerateSerializer, Immutable, Alias("mail.QuotaInfo")]
public sealed record QuotaInfo(
    [property: Id(0)] long UsedBytes,
    [property: Id(1)] long LimitBytes,
    [property: Id(2)] long MessageCount);

/// <summary>What a change-log row records.</summary>
public enum MailboxChangeKind : short
{
    /// <summary>A message appeared in a folder.</summary>
    Added = 1,
    /// <summary>A message's flags or labels changed.</summary>
    FlagsChanged = 2,
    /// <summary>A message left a folder (expunged or moved away).</summary>
    Expunged = 3,
    /// <summary>A folder was created.</summary>
    FolderCreated = 4,
    /// <summary>A folder was deleted.</summary>
    FolderDeleted = 5,
    /// <summary>A folder was renamed.</summary>
    FolderRenamed = 6,
    /// <summary>A folder was subscribed or unsubscribed.</summary>
    FolderSubscriptionChanged = 7,
}

/// <summary>One row of the mailbox change log.</summary>
[GenerateSerializer, Immutable, Alias("mail.MailboxChange")]
public sealed record MailboxChange(
    [property: Id(0)] long Modseq,
    [property: Id(1)] MailboxChangeKind Kind,
    [property: Id(2)] int FolderId,
    [property: Id(3)] long? MessageId,
    [property: Id(4)] long? Uid);

/// <summary>A label and its counts over the whole mailbox (every folder).</summary>
[GenerateSerializer, Immutable, Alias("mail.LabelCount")]
public sealed record LabelCount(
    [property: Id(0)] string Name,
    [property: Id(1)] long Total,
    [property: Id(2)] long Unread);
