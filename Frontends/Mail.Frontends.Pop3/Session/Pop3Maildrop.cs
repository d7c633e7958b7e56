using System.Diagnostics.CodeAnalysis;
using Mail.Frontends.Pop3.Protocol;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;
using Microsoft.Extensions.Logging;

namespace Mail.Frontends.Pop3.Session;

/// <summary>
/// The maildrop as one session sees it (RFC 1939 §5): the INBOX as it was at login, numbered 1..n by
/// ascending UID and fixed for the session, with the session's deletion marks, under the mailbox grain's
/// maildrop lock (RFC 1939 §8). Messages that arrive later are seen by the next session.
/// </summary>
public sealed class Pop3Maildrop
{
    private readonly IMailboxGrain _mailbox;
    private readonly string _holder;
    private readonly TimeSpan _lease;
    private readonly IReadOnlyList<MessageSlot> _messages;
    private readonly bool[] _deleted;

    private Pop3Maildrop(IMailboxGrain mailbox, string holder, TimeSpan lease, FolderSnapshot snapshot)
    {
        _mailbox = mailbox;
        _holder = holder;
        _lease = lease;
        _messages = snapshot.Messages;
        _deleted = new bool[_messages.Count];
        UidValidity = snapshot.Folder.UidValidity;
    }

    /// <summary>The INBOX's UIDVALIDITY, the first half of every unique-id.</summary>
    public long UidValidity { get; }

    /// <summary>The mailbox grain that owns the messages.</summary>
    public IMailboxGrain Mailbox => _mailbox;

    /// <summary>Messages in the session's list, deleted ones included (the highest message number).</summary>
    public int Count => _messages.Count;

    /// <summary>Messages not marked deleted.</summary>
    public int LiveCount => _deleted.Count(d => !d);

    /// <summary>Octets of the messages not marked deleted.</summary>
    public long LiveSize => LiveNumbers.Sum(n => this[n].Size);

    /// <summary>The numbers of the messages not marked deleted, ascending.</summary>
    public IEnumerable<int> LiveNumbers => Enumerable.Range(1, Count).Where(n => !_deleted[n - 1]);

    /// <summary>The message with number <paramref name="number"/> (1-based).</summary>
    public MessageSlot this[int number] => _messages[number - 1];

    /// <summary>
    /// Takes the lock for <paramref name="holder"/> and snapshots the INBOX; null when another session holds
    /// the lock. If the snapshot fails the lock is released before the exception goes on.
    /// </summary>
    public static async Task<Pop3Maildrop?> OpenAsync(IGrainFactory grains, string accountId, string holder, TimeSpan lease)
    {
        var mailbox = grains.GetGrain<IMailboxGrain>(accountId);
        if (!await mailbox.AcquireMaildropLockAsync(holder, lease)) return null;
        try
        {
            return new Pop3Maildrop(mailbox, holder, lease, await mailbox.SnapshotFolderAsync(SpecialFolders.Inbox));
        }
        catch
        {
            await mailbox.ReleaseMaildropLockAsync(holder);
            throw;
        }
    }

    /// <summary>The unique-id of a message (RFC 1939 §7 UIDL): "UIDVALIDITY.UID", which never names another message.</summary>
    public string UniqueId(int number) => $"{UidValidity}.{this[number].Uid}";

    /// <summary>Whether a message is marked deleted.</summary>
    public bool IsDeleted(int number) => _deleted[number - 1];

    /// <summary>Marks a message deleted; it is removed only in the UPDATE state.</summary>
    public void Delete(int number) => _deleted[number - 1] = true;

    /// <summary>Unmarks every message (RSET).</summary>
    public void Undelete() => Array.Clear(_deleted);

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
    /// The UPDATE state (RFC 1939 §6): removes every message marked deleted; true if all are gone. A message
    /// another client already removed counts as gone; one it moved out of the INBOX is left where it is.
    /// </summary>
    public async Task<bool> ExpungeDeletedAsync(ILogger logger, string sessionId)
    {
        var complete = true;
        for (var number = 1; number <= Count; number++)
        {
            if (!IsDeleted(number)) continue;
            var slot = this[number];
            try
            {
                var record = await _mailbox.GetMessageAsync(slot.MessageId);
                if (record is null || record.Uid != slot.Uid || !string.Equals(record.Folder, SpecialFolders.Inbox, StringComparison.OrdinalIgnoreCase)) continue;
                await _mailbox.ExpungeMessageAsync(slot.MessageId);
            }
            catch (MailException e) when (e.Code == MailErrorCode.NotFound)
            {
                // Removed by another client between the lookup and the expunge: gone either way.
            }
            catch (Exception e)
            {
                logger.LogError(e, "Session {Session}: could not expunge message {MessageId}", sessionId, slot.MessageId);
                complete = false;
            }
        }
        return complete;
    }
}
