using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Grains.Mailboxes;

/// <summary>A folder's row as the mailbox grain keeps it in memory.</summary>
public sealed record FolderHead(
    int FolderId,
    string Name,
    string? SpecialUse,
    long UidValidity,
    long UidNext,
    long HighestModseq,
    int MessageCount,
    int UnseenCount,
    long TotalSize,
    bool Subscribed)
{
    /// <summary>The first UID no IMAP session has claimed as \Recent (RFC 3501 §2.3.2); UIDNEXT when none is left.</summary>
    public long RecentUid { get; init; } = 1;

    /// <summary>The public view.</summary>
    public FolderInfo ToInfo() =>
        new(FolderId, Name, SpecialUse, UidValidity, UidNext, HighestModseq, MessageCount, UnseenCount, TotalSize, Subscribed);
}
