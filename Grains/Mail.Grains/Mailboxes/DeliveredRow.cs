using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Grains.Mailboxes;

/// <summary>What a delivery writes besides the counters: the new message's ids, folder, UID and canonical flags.</summary>
public sealed record DeliveredRow(MessageDelivery Delivery, long MessageId, int FolderId, long Uid, string[] Flags, string[] Labels);
