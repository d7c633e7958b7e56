using System.Diagnostics.CodeAnalysis;
using Mail.Frontends.Pop3.Protocol;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;
using Microsoft.Extensions.Logging;

namespace Mail.Frontends.Pop3.Session;

/// <summary>
/// The maildrop as one session sees it (RFC 1939 §5): the INBOX as it was at login, numbered 1..n by ascending UID
/// and fixed for the session, with the session's deletion marks, under the mailbox grain's maildrop lock (RFC 1939
/// §8). The numbering is the grain's <see cref="FolderMap"/> of the INBOX at login, shared by reference (nothing is
/// copied per message at login); sizes are read a page at a time when LIST asks. Messages that arrive later are seen
/// by the next session.
/// </summary>
public sealed class Pop3Maildrop
{
    private readonly IMailboxGrain _mailbox;
    private readonly string _holder;
    private readonly TimeSpan _lease;
    private readonly FolderMap _map;
    private readonly long _size;
    private readonly Dictionary<int, long> _deleted = new();

    private Pop3Maildrop(IMailboxGrain mailbox, string holder, TimeSpan lease, FolderView view)
    {
        _mailbox = mailbox;
        _holder = holder;
        _lease = lease;
        _map = view.Map;
        _size = view.Folder.TotalSize;
        FolderId = view.Folder.FolderId;
        UidValidity = view.Folder.UidValidity;
    }

    /// <summary>The INBOX's folder id.</summary>
    public int FolderId { get; }

    /// <summary>The INBOX's UIDVALIDITY, the first half of every unique-id.</summary>
    public long UidValidity { get; }

    /// <summary>The mailbox grain that owns the messages.</summary>
    public IMailboxGrain Mailbox => _mailbox;

    /// <summary>Messages in the session's list, deleted ones included (the highest message number).</summary>
    public int Count => _map.Count;

    /// <summary>Messages not marked deleted.</summary>
    public int LiveCount => Count - _deleted.Count;

    /// <summary>Octets of the messages not marked deleted: the INBOX's size at login less what was marked.</summary>
    public long LiveSize => _size - _deleted.Values.Sum();

    /// <summary>The numbers of the messages not marked deleted, ascending.</summary>
    public IEnumerable<int> LiveNumbers => Enumerable.Range(1, Count).Where(n => !_deleted.ContainsKey(n));

    /// <summary>The UID of message <paramref name="number"/> (1-based).</summary>
    public long Uid(int number) => _map.UidAt(number - 1);

    /// <summary>The grain's message id of message <paramref name="number"/>.</summary>
    public long MessageId(int number) => _map.MessageIdAt(number - 1);

    /// <summary>
    /// Takes the lock for <paramref name="holder"/> and opens the INBOX; null when another session holds the lock. If
    /// opening fails the lock is released before the exception goes on.
    /// </summary>
    public static async Task<Pop3Maildrop?> OpenAsync(IGrainFactory grains, string accountId, string holder, TimeSpan lease)
    {
        var mailbox = grains.GetGrain<IMailboxGrain>(accountId);
        if (!await mailbox.AcquireMaildropLockAsync(holder, lease)) return null;
        try
        {
            return new Pop3Maildrop(mailbox, holder, lease, await mailbox.OpenFolderAsync(SpecialFolders.Inbox));
        }
        catch
        {
            await mailbox.ReleaseMaildropLockAsync(holder);
            throw;
        }
    }

    /// <summary>The unique-id of a message (RFC 1939 §7 UIDL): "UIDVALIDITY.UID", which never names another message.</summary>
    public string UniqueId(int number) => $"{UidValidity}.{Uid(number)}";

    /// <summary>Whether a message is marked deleted.</summary>
    public bool IsDeleted(int number) => _deleted.ContainsKey(number);

    /// <summary>Marks a message deleted (it is removed only in the UPDATE state), noting its size for STAT.</summary>
    public async Task DeleteAsync(int number)
    {
        var slots = await _mailbox.GetSlotsAsync(FolderId, [Uid(number)]);
        // A message another client removed since login counts no octets.
        _deleted[number] = slots.Count == 0 ? 0 : slots[0].Size;
    }

    /// <summary>Unmarks every message (RSET).</summary>
    public void Undelete() => _deleted.Clear();

    /// <summary>The size of one message, 0 if another client removed it since login.</summary>
    public async Task<long> SizeAsync(int number) => (await _mailbox.GetSlotsAsync(FolderId, [Uid(number)])) is [var slot] ? slot.Size : 0;

    /// <summary>Number and size of every message not marked deleted, read a page of sizes at a time.</summary>
    public async IAsyncEnumerable<(int Number, long Size)> ScanAsync()
    {
        foreach (var page in LiveNumbers.Chunk(IMailboxGrain.MaxSlotBatch))
        {
            var sizes = (await _mailbox.GetSlotsAsync(FolderId, page.Select(Uid).ToArray())).ToDictionary(s => s.Uid, s => s.Size);
            foreach (var number in page) yield return (number, sizes.GetValueOrDefault(Uid(number)));
        }
    }

    /// <summary>
    /// Resolves a message-number argument to a message that exists and is not marked deleted (RFC 1939 §5:
    /// a command naming a deleted message is refused), else the negative response to send.
    /// </summary>
    public bool TryFind(string argument, out int number, [NotNullWhen(false)] out Pop3Response? error)
    {
        if (!MessageNumber.TryParse(argument, out number))
        {
            error = Pop3Response.Error("invalid message number");
            return false;
        }
        if (number > Count)
        {
            error = Pop3Response.Error($"no such message, only {Pop3Responses.Messages(Count)} in maildrop");
            return false;
        }
        if (IsDeleted(number))
        {
            error = Pop3Response.Error($"message {number} already deleted");
            return false;
        }
        error = null;
        return true;
    }

    /// <summary>Renews the lock (each command does); false if the lease lapsed and another session took it.</summary>
    public Task<bool> RenewAsync() => _mailbox.AcquireMaildropLockAsync(_holder, _lease);

    /// <summary>Releases the lock.</summary>
    public Task ReleaseAsync() => _mailbox.ReleaseMaildropLockAsync(_holder);

    /// <summary>
    /// The UPDATE state (RFC 1939 §6): removes every message marked deleted, one write per
    /// <see cref="IMailboxGrain.MaxSlotBatch"/> messages; true if all are gone. A message another client already removed
    /// counts as gone; one it moved out of the INBOX (it has another UID there) is left where it is.
    /// </summary>
    public async Task<bool> ExpungeDeletedAsync(ILogger logger, string sessionId)
    {
        var complete = true;
        foreach (var chunk in _deleted.Keys.Order().Select(Uid).Chunk(IMailboxGrain.MaxSlotBatch))
        {
            try
            {
                await _mailbox.ExpungeUidsAsync(FolderId, chunk);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Session {Session}: could not expunge {Count} messages", sessionId, chunk.Length);
                complete = false;
            }
        }
        return complete;
    }
}
