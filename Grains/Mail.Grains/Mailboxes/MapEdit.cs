using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Grains.Mailboxes;

/// <summary>
/// What one change-log row of a write does to a folder's <see cref="FolderMap"/>: a message added (with its flags),
/// its flags changed, or removed. <see cref="Flags"/> null on an add or flag change means the write did not say, and
/// the grain then drops the folder's map (it is loaded again when next needed) rather than keep a wrong one.
/// </summary>
public readonly record struct MapEdit(MailboxChangeKind Kind, int FolderId, long MessageId, long Uid, IReadOnlyList<string>? Flags);
