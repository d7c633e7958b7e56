using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Grains.Mailboxes;

/// <summary>What a delivery writes besides the counters: the new message's ids, folder, UID and canonical flags.</summary>
public sealed record DeliveredRow(MessageDelivery Delivery, long MessageId, int FolderId, long Uid, string[] Flags, string[] Labels)
{
    /// <summary>The mailbox's counters right after this delivery (in a batch, before the ones staged after it).</summary>
    public MailboxHead? Head { get; init; }
}
