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
    /// <summary>The public view.</summary>
    public FolderInfo ToInfo() =>
        new(FolderId, Name, SpecialUse, UidValidity, UidNext, HighestModseq, MessageCount, UnseenCount, TotalSize, Subscribed);
}
