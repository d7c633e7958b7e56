namespace Mail.Grains.Mailboxes;

/// <summary>What removing a message changes besides its row: its folder's and the mailbox's counters, and the change log.</summary>
public sealed record ExpungeRow(long MessageId, int FolderId, long Uid, long Size, bool Seen);
