using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// EXPUNGE (RFC 9051 §6.4.3) and UID EXPUNGE (§6.4.9, RFC 4315 §2.1): removes \Deleted messages and reports each removal.
/// The \Deleted messages are found in the grain's memory a page at a time and removed with one write per
/// <see cref="IMailboxGrain.MaxSlotBatch"/> messages.
/// </summary>
public sealed class ExpungeHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["EXPUNGE"];

    /// <inheritdoc />
    public ImapState States => ImapState.Selected;

    /// <inheritdoc />
    public async Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        var selected = session.Selected!;
        if (selected.ReadOnly) return ImapResult.No("Mailbox is read-only", "READ-ONLY");
        if (!selected.Target.Has('e')) return ImapResult.No("No right to expunge here", "NOPERM");
        // The view must be current first, so that \Deleted set elsewhere counts and sequence numbers are right.
        await session.SyncAsync(allowExpunge: true);
        var set = command is ExpungeCommand { Set: var named } ? session.Substitute(named, uid: true).Set : null;
        List<long> removed;
        try
        {
            removed = await ExpungeDeletedAsync(session, set is null ? MessageIndexes.All(selected.Count) : selected.Resolve(set, uid: true)!);
        }
        catch (MailException e)
        {
            return MailErrors.ToResult(e);
        }
        Report(session, selected, removed);
        return ImapResult.Ok("EXPUNGE completed");
    }

    /// <summary>Removes the messages at <paramref name="indexes"/> that have \Deleted (as the grain has their flags now); returns their UIDs, ascending.</summary>
    public static async Task<List<long>> ExpungeDeletedAsync(ImapSession session, IReadOnlyList<int> indexes)
    {
        var folderId = session.Selected!.FolderId;
        var removed = new List<long>();
        var doomed = new List<long>();
        await foreach (var page in session.PagesAsync(indexes, MessageDetail.Flags, IMailboxGrain.MaxSlotBatch))
        {
            doomed.AddRange(page.States.OfType<MessageState>().Where(m => m.Flags.Contains(MessageFlags.Deleted)).Select(m => m.Uid));
            while (doomed.Count >= IMailboxGrain.MaxSlotBatch) await RemoveAsync(IMailboxGrain.MaxSlotBatch);
        }
        if (doomed.Count > 0) await RemoveAsync(doomed.Count);
        return removed;

        async Task RemoveAsync(int count)
        {
            removed.AddRange(await session.SelectedMailbox.ExpungeUidsAsync(folderId, doomed.GetRange(0, count)));
            doomed.RemoveRange(0, count);
        }
    }

    /// <summary>
    /// Removes messages (by UID, ascending) from the view and announces each: EXPUNGE with the sequence number it has when
    /// announced (each earlier removal shifts it down by one), or one VANISHED with QRESYNC.
    /// </summary>
    public static void Report(ImapSession session, SelectedFolder selected, IReadOnlyList<long> removed)
    {
        if (removed.Count == 0) return;
        var view = selected.Map.ToBuilder();
        var uids = new List<long>();
        var shift = 0;
        foreach (var uid in removed)
        {
            var index = selected.IndexOfUid(uid);
            if (index < 0) continue;
            session.Updates.BeforeExpunge(session, uid, index - shift);
            view.Remove(uid);
            session.Recent.Removed(uid);
            if (session.ReportsVanished) uids.Add(uid);
            else session.Untagged($"{index - shift + 1} EXPUNGE");
            shift++;
        }
        selected.Apply(view);
        if (uids.Count > 0) session.Untagged("VANISHED " + SequenceSet.Format(uids));
    }
}
