using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Grains.Mailboxes;

/// <summary>
/// One change-log row of a write as its mailbox event reports it: <see cref="Flags"/> are the message's flags after an
/// add or flag change, null where the write did not say.
/// </summary>
public readonly record struct LoggedChange(MailboxChangeKind Kind, int FolderId, long Modseq, long? MessageId, long? Uid, IReadOnlyList<string>? Flags);
