namespace Mail.Grains.Mailboxes;

/// <summary>The mailbox-wide counters a mailbox grain keeps in memory and writes with every change.</summary>
public sealed record MailboxHead(
    string TenantId,
    long Epoch,
    long HighestModseq,
    long NextMessageId,
    int NextFolderId,
    long QuotaLimit,
    long QuotaUsed,
    long MessageCount,
    DateTimeOffset CreatedAt);
