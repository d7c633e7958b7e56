namespace Mail.Grains.Interfaces.Mailboxes;

/// <summary>
/// A hint, published on the account's mailbox stream after a committed write, that the change log advanced to
/// <see cref="Modseq"/>. The change log stays the truth: a consumer tracks its last MODSEQ and replays
/// <see cref="IMailboxGrain.GetChangesAsync"/> after a gap, a restart or a lost event.
/// </summary>
[GenerateSerializer, Immutable, Alias("mail.MailboxEvent")]
public sealed record MailboxEvent(
    [property: Id(0)] string AccountId,
    [property: Id(1)] long Modseq,
    [property: Id(2)] long PreviousModseq,
    [property: Id(3)] MailboxEventKind Kind,
    [property: Id(4)] int? FolderId,
    [property: Id(5)] string? Folder,
    [property: Id(6)] IReadOnlyList<long> MessageIds,
    [property: Id(7)] IReadOnlyList<long> Uids,
    [property: Id(8)] IReadOnlyList<string>? Flags);

/// <summary>What kind of committed write a <see cref="MailboxEvent"/> reports.</summary>
public enum MailboxEventKind : short
{
    /// <summary>Messages were delivered, appended, copied or moved into a folder.</summary>
    Added = 1,
    /// <summary>Messages' flags or labels changed.</summary>
    FlagsChanged = 2,
    /// <summary>Messages left a folder (expunged or moved away).</summary>
    Expunged = 3,
    /// <summary>A folder was created, renamed, deleted or (un)subscribed.</summary>
    FoldersChanged = 4,
    /// <summary>The quota use changed without a message change (limit set, purge).</summary>
    QuotaChanged = 5,
}
