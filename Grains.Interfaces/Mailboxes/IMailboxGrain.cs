namespace Mail.Grains.Interfaces.Mailboxes;

/// <summary>
/// One account's mailbox (keyed by account id), the only writer of its rows: folders, messages,
/// flags, labels, threads, quota use and the change log. Every write is O(1) in the mailbox size.
/// </summary>
[Alias("mail.IMailboxGrain")]
public interface IMailboxGrain : IGrainWithStringKey
{
    /// <summary>Creates the mailbox with its special folders; a no-op if it exists.</summary>
    Task ProvisionAsync(string tenantId, long quotaBytes);

    /// <summary>Changes the quota limit.</summary>
    Task SetQuotaLimitAsync(long quotaBytes);

    /// <summary>Deletes every folder, message and change of this mailbox.</summary>
    Task PurgeAsync();

    /// <summary>Files a stored message; a repeated delivery id returns the first result and writes nothing.</summary>
    Task<DeliveryResult> DeliverAsync(MessageDelivery delivery);

    /// <summary>
    /// Files several stored messages, in order, in one transaction when it can (group commit within a mailbox); each gets
    /// its own outcome, as if delivered alone with <see cref="DeliverAsync"/>.
    /// </summary>
    Task<IReadOnlyList<DeliveryOutcome>> DeliverBatchAsync(IReadOnlyList<MessageDelivery> deliveries);

    /// <summary>The folders, with their counters.</summary>
    Task<IReadOnlyList<FolderInfo>> ListFoldersAsync();

    /// <summary>
    /// Creates a folder (and missing parents; "/" separates levels), subscribed when <paramref name="subscribe"/> (IMAP
    /// CREATE subscribes nothing, RFC 9051 §6.3.4) or when its name was left subscribed by a deleted folder.
    /// </summary>
    /// <remarks>With <paramref name="specialUse"/> (IMAP CREATE-SPECIAL-USE, RFC 6154 §3) the new folder carries that attribute,
    /// one of <see cref="SpecialFolders.Creatable"/>.</remarks>
    Task<FolderInfo> CreateFolderAsync(string name, bool subscribe = true, string? specialUse = null);

    /// <summary>Deletes a user folder, its sub-folders and their messages.</summary>
    Task DeleteFolderAsync(string name);

    /// <summary>Renames a user folder and its sub-folders.</summary>
    Task<FolderInfo> RenameFolderAsync(string name, string newName);

    /// <summary>A page of a folder's messages, newest first.</summary>
    Task<MessagePage> ListMessagesAsync(string folder, int offset, int limit);

    /// <summary>One message, or null.</summary>
    Task<MessageRecord?> GetMessageAsync(long messageId);

    /// <summary>The messages of <paramref name="messageIds"/> that exist, in no particular order; at most <see cref="MaxContentBatch"/> ids per call.</summary>
    Task<IReadOnlyList<MessageRecord>> GetMessagesAsync(IReadOnlyList<long> messageIds);

    /// <summary>The messages of a thread, oldest first (internal date, then id), at most <see cref="MaxThreadMessages"/>; empty when there is no such thread.</summary>
    Task<IReadOnlyList<MessageRecord>> GetThreadAsync(long threadId);

    /// <summary>Most messages <see cref="GetThreadAsync"/> returns.</summary>
    const int MaxThreadMessages = 1000;

    /// <summary>Every label in use, by name, with how many messages carry it and how many of those are unread.</summary>
    Task<IReadOnlyList<LabelCount>> ListLabelsAsync();

    /// <summary>
    /// Where the content of each message is, with its header cache, in one read (IMAP FETCH of a range);
    /// ids that do not exist are left out. At most <see cref="MaxContentBatch"/> ids per call.
    /// </summary>
    Task<IReadOnlyList<MessageContent>> GetContentsAsync(IReadOnlyList<long> messageIds);

    /// <summary>Most message ids <see cref="GetContentsAsync"/> takes at once.</summary>
    const int MaxContentBatch = 1000;

    /// <summary>Changes flags, labels or folder of a message.</summary>
    Task<MessageRecord> UpdateMessageAsync(long messageId, MessageUpdate update);

    /// <summary>
    /// Sets, adds or removes flags on many messages in one atomic write (IMAP STORE on a range), each changed
    /// message with its own MODSEQ. With <paramref name="unchangedSince"/>, a message whose MODSEQ is above it is
    /// left alone and listed as modified (RFC 7162 §3.1.3). Ids that do not exist are skipped. At most
    /// <see cref="MaxContentBatch"/> ids per call.
    /// </summary>
    Task<FlagStoreResult> StoreFlagsAsync(IReadOnlyList<long> messageIds, FlagStoreMode mode, IReadOnlyList<string> flags, long? unchangedSince);

    /// <summary>
    /// Copies (new messages, same content) or moves messages into a folder in one atomic write (IMAP COPY and MOVE:
    /// RFC 9051 §6.4.7 wants a failed COPY to leave the destination as it was); the quota is checked for the
    /// whole copy. Ids that do not exist are skipped. At most <see cref="MaxPlaceBatch"/> ids per call.
    /// </summary>
    Task<IReadOnlyList<PlacedMessage>> PlaceMessagesAsync(IReadOnlyList<long> messageIds, string folder, bool move);

    /// <summary>Most message ids <see cref="PlaceMessagesAsync"/> takes at once (one transaction).</summary>
    const int MaxPlaceBatch = 10_000;

    /// <summary>Copies a message into a folder (same content, new message).</summary>
    Task<MessageRecord> CopyMessageAsync(long messageId, string folder);

    /// <summary>
    /// IMAP REPLACE (RFC 8508): files <paramref name="delivery"/> and removes the message with <paramref name="uid"/> from
    /// folder <paramref name="folderId"/> in one transaction, so either both happen or neither; the quota is checked for the
    /// difference. Throws <c>NotFound</c> when that message is gone. Returns the old message's id, the new one's and its UID.
    /// </summary>
    Task<PlacedMessage> ReplaceAsync(MessageDelivery delivery, int folderId, long uid);

    /// <summary>Removes a message for good.</summary>
    Task ExpungeMessageAsync(long messageId);

    /// <summary>
    /// Removes the messages of a folder with these UIDs for good, in one write (IMAP EXPUNGE and CLOSE, POP3 QUIT), each
    /// with its own MODSEQ and change-log row; UIDs not (or no longer) in the folder are skipped. Returns the UIDs removed,
    /// ascending. At most <see cref="MaxSlotBatch"/> UIDs per call.
    /// </summary>
    Task<IReadOnlyList<long>> ExpungeUidsAsync(int folderId, IReadOnlyList<long> uids);

    /// <summary>
    /// Opens a folder for IMAP SELECT/EXAMINE or a POP3 maildrop: its counters and its <see cref="FolderMap"/>, both as of
    /// the folder's HIGHESTMODSEQ. The map is the grain's own (kept up to date by every write once loaded), so within a
    /// process every session of the folder shares it; a session follows later changes through the change log.
    /// </summary>
    Task<FolderView> OpenFolderAsync(string folder);

    /// <summary>The same as <see cref="OpenFolderAsync"/> for a folder id (a selected session catching up with the grain's map).</summary>
    Task<FolderView> GetFolderViewAsync(int folderId);

    /// <summary>
    /// The current flags of the messages of a folder with these UIDs, from memory (no database read): the UIDs still in
    /// the folder, ascending, with their flags. At most <see cref="MaxSlotBatch"/> UIDs per call.
    /// </summary>
    Task<FlagPage> GetFlagsAsync(int folderId, IReadOnlyList<long> uids);

    /// <summary>
    /// The slots (MODSEQ, flags, size, internal date) of the messages of a folder with these UIDs, ascending, read in one
    /// query; UIDs no longer in the folder are left out. At most <see cref="MaxSlotBatch"/> UIDs per call.
    /// </summary>
    Task<IReadOnlyList<MessageSlot>> GetSlotsAsync(int folderId, IReadOnlyList<long> uids);

    /// <summary>
    /// The slots of a folder's messages whose MODSEQ is above <paramref name="changedSince"/> and whose UID is above
    /// <paramref name="afterUid"/>, ascending by UID, at most <paramref name="limit"/> (RFC 7162 CHANGEDSINCE, QRESYNC).
    /// </summary>
    Task<IReadOnlyList<MessageSlot>> GetSlotsChangedSinceAsync(int folderId, long changedSince, long afterUid, int limit);

    /// <summary>Most UIDs <see cref="GetFlagsAsync"/>, <see cref="GetSlotsAsync"/> and <see cref="ExpungeUidsAsync"/> take at once.</summary>
    const int MaxSlotBatch = 5000;

    /// <summary>
    /// Takes the POP3 maildrop lock (RFC 1939 §8) for <paramref name="holder"/> for at most <paramref name="lease"/>;
    /// false if another holder has it. Re-acquiring by the same holder renews the lease.
    /// </summary>
    Task<bool> AcquireMaildropLockAsync(string holder, TimeSpan lease);

    /// <summary>Releases the maildrop lock if <paramref name="holder"/> holds it.</summary>
    Task ReleaseMaildropLockAsync(string holder);

    /// <summary>Quota use and limit.</summary>
    Task<QuotaInfo> GetQuotaAsync();

    /// <summary>
    /// Changes after a MODSEQ, oldest first: the log consumers replay from. Throws <c>MailException</c> with
    /// <c>HistoryPruned</c> when changes after <paramref name="afterModseq"/> are behind the retention horizon (the
    /// caller must resynchronize in full), never a delta with a gap.
    /// </summary>
    Task<IReadOnlyList<MailboxChange>> GetChangesAsync(long afterModseq, int limit);

    /// <summary>The mailbox's highest MODSEQ, from memory: a cheap poll for "anything changed?" (IMAP IDLE).</summary>
    Task<long> GetHighestModseqAsync();

    /// <summary>
    /// Subscribes or unsubscribes a folder (RFC 9051 §6.3.7); a no-op when it already is. A name left subscribed by a
    /// deleted folder can be unsubscribed.
    /// </summary>
    Task<FolderInfo> SetSubscribedAsync(string folder, bool subscribed);

    /// <summary>
    /// Every subscribed name, ascending: those of folders and those whose folder was deleted (RFC 9051 §6.3.7 keeps them;
    /// LSUB and LIST (SUBSCRIBED) show them, the latter as \NonExistent, RFC 5258 §3.1).
    /// </summary>
    Task<IReadOnlyList<string>> ListSubscriptionsAsync();

    /// <summary>
    /// \Recent for IMAP4rev1 sessions (RFC 3501 §2.3.2): returns the first UID of the folder that no session had claimed;
    /// with <paramref name="claim"/> (a read-write selection) the messages below <paramref name="uidLimit"/> become the
    /// caller's, so each message is recent in exactly one session. A folder that is gone gives <paramref name="uidLimit"/>.
    /// </summary>
    Task<long> ClaimRecentAsync(int folderId, long uidLimit, bool claim);

    /// <summary>How many messages of a folder no session has claimed as recent (STATUS RECENT, RFC 3501 §6.3.10).</summary>
    Task<int> CountRecentAsync(int folderId);

    /// <summary>How many messages of a folder have the \Deleted flag (STATUS DELETED, RFC 9051 §6.3.11).</summary>
    Task<int> CountDeletedAsync(int folderId);

    /// <summary>
    /// A folder's access control list (RFC 4314 §3.3), the stored entries; the owner, who always has every right, is not
    /// among them.
    /// </summary>
    Task<IReadOnlyList<AclEntry>> GetAclAsync(string folder);

    /// <summary>
    /// Changes the rights of <paramref name="identifier"/> on a folder (RFC 4314 §3.1 SETACL, §3.2 DELETEACL with
    /// <see cref="AclEdit.Replace"/> and no rights): an address of an account of this mailbox's tenant or "anyone", with a
    /// leading "-" for negative rights. Another tenant's address, or one that routes nowhere, is <c>Invalid</c>; the owner's
    /// own rights are fixed (<c>Forbidden</c>). Returns the identifier's rights after the change.
    /// </summary>
    Task<string> ChangeAclAsync(string folder, string identifier, AclEdit edit, string rights);

    /// <summary>
    /// The rights account <paramref name="accountId"/> of tenant <paramref name="tenantId"/> has on a folder (RFC 4314 §2:
    /// the union of its own and "anyone"'s rights less the union of their negative rights); the owner has
    /// <see cref="AclRights.All"/>, an account of another tenant none.
    /// </summary>
    Task<string> GetRightsAsync(string folder, string tenantId, string accountId);

    /// <summary>The folders of other mailboxes of this tenant this account has the lookup right on, with its rights there.</summary>
    Task<IReadOnlyList<SharedFolder>> ListSharedFoldersAsync();
}
