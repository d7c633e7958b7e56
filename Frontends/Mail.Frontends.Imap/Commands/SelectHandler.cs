using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// SELECT and EXAMINE (RFC 9051 §6.3.2, §6.3.3) with CONDSTORE (RFC 7162 §3.1.8) and QRESYNC (§3.2.5): FLAGS,
/// EXISTS, RECENT (IMAP4rev1: SELECT claims the new messages for this session, EXAMINE only counts them, RFC 3501
/// §6.3.1), UIDVALIDITY, UIDNEXT, PERMANENTFLAGS, HIGHESTMODSEQ, the LIST response in IMAP4rev2, and for QRESYNC
/// the VANISHED (EARLIER) and FETCH responses that bring the client's cache up to date; MAILBOXID (OBJECTID, RFC 8474 §4.2).
/// </summary>
public sealed class SelectHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["SELECT", "EXAMINE"];

    /// <inheritdoc />
    public ImapState States => ImapState.LoggedIn;

    /// <inheritdoc />
    public async Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        var select = (SelectCommand)command;
        if (select.Qresync is not null && !session.Qresync) return ImapResult.Bad("QRESYNC must be enabled first");
        if (session.Selected is not null)
        {
            session.Select(null);
            // RFC 7162 §3.2.11, RFC 9051 §6.3.2: the previous mailbox is closed before the new one's responses.
            session.Untagged("OK [CLOSED] Previous mailbox closed");
        }
        var name = session.DecodeMailbox(select.Mailbox);
        var target = await session.ResolveAsync(name);
        if (target is null) return ImapResult.No($"Mailbox {name} does not exist", "NONEXISTENT");
        // RFC 4314 §4: SELECT and EXAMINE take "r"; without a right to change anything the selection is read-only.
        if (!target.Has('r')) return ImapResult.No($"No right to read {name}", "NOPERM");
        var readOnly = select.ReadOnly || !target.Rights.Any(r => r is 's' or 'w' or 't' or 'e');
        FolderView view;
        try
        {
            // The grain's own map of the folder, by reference: nothing is copied per message (RFC 9051 §6.3.2 needs only counts).
            view = await target.Grain.OpenFolderAsync(target.Folder);
        }
        catch (MailException e)
        {
            return MailErrors.ToResult(e);
        }
        if (select.Condstore) session.Condstore = true;
        var folder = view.Folder;
        var map = view.Map;
        var selected = new SelectedFolder(target.ClientName(folder.Name), folder.FolderId, folder.UidValidity, readOnly, folder.HighestModseq, map, target);

        var announced = new AnnouncedFlags(map.Keywords);
        session.Select(selected);
        session.Flags = announced;
        announced.WriteFlags(session);
        session.Untagged($"{map.Count} EXISTS");
        if (await session.ClaimRecentAsync(1)) session.Untagged($"{session.Recent.Count} RECENT");
        if (!session.Rev2)
        {
            var firstUnseen = map.FirstIndexWithout(FlagBits.Seen);
            if (firstUnseen >= 0) session.Untagged($"OK [UNSEEN {firstUnseen + 1}] First unseen");
        }
        session.Untagged($"OK [UIDVALIDITY {folder.UidValidity}] UIDs valid");
        session.Untagged($"OK [UIDNEXT {folder.UidNext}] Predicted next UID");
        announced.WritePermanentFlags(session, selected);
        session.Untagged($"OK [HIGHESTMODSEQ {folder.HighestModseq}] Highest");
        session.Untagged($"OK [MAILBOXID ({ObjectIds.MailboxId(folder.FolderId, folder.UidValidity)})] Ok");
        if (session.Rev2)
        {
            var w = session.Writer().Raw("* LIST () \"/\"").Item();
            w.AString(session.EncodeMailbox(selected.Name)).Crlf();
        }
        if (select.Qresync is { } qresync && qresync.UidValidity == folder.UidValidity)
        {
            await ResyncAsync(session, selected, qresync, folder.UidNext);
        }
        return ImapResult.Ok(command.Name + " completed", readOnly ? "READ-ONLY" : "READ-WRITE");
    }

    /// <summary>
    /// RFC 7162 §3.2.5.1: the UIDs expunged since the client's MODSEQ, then the messages changed since it. When the
    /// change log was pruned past that MODSEQ, the expunges are answered without it (<see cref="VanishedWithoutHistory"/>).
    /// </summary>
    private static async Task ResyncAsync(ImapSession session, SelectedFolder selected, QresyncParameters qresync, long uidNext)
    {
        var known = qresync.KnownUids;
        try
        {
            var vanished = await ExpungedSinceAsync(selected.Grain, selected.FolderId, qresync.Modseq, selected.LogPosition);
            var largest = Math.Max(selected.MaxUid, vanished.Count == 0 ? 0 : vanished.Max());
            var reported = vanished.Where(uid => known is null || known.Contains(uid, largest)).Order().ToList();
            if (reported.Count > 0) session.Untagged("VANISHED (EARLIER) " + SequenceSet.Format(reported));
        }
        catch (MailException e) when (e.Code == MailErrorCode.HistoryPruned)
        {
            var floor = VanishedWithoutHistory.MatchedFloor(qresync.KnownSequence, qresync.KnownSequenceUids, selected.Count, selected.UidAt);
            var absent = VanishedWithoutHistory.Absent(Enumerable.Range(0, selected.Count).Select(i => selected.UidAt(i)), known, floor, uidNext - 1, uidNext - 1);
            if (absent.Length > 0) session.Untagged("VANISHED (EARLIER) " + absent);
        }
        await foreach (var message in ChangedSinceAsync(session, selected, qresync.Modseq))
        {
            if (known is not null && !known.Contains(message.Uid, selected.MaxUid)) continue;
            session.WriteFlags(selected.IndexOfUid(message.Uid), message, includeUid: true);
        }
    }

    /// <summary>
    /// The messages of the view whose MODSEQ is above <paramref name="since"/>, ascending (RFC 7162 CHANGEDSINCE), read a
    /// page at a time from the database by MODSEQ rather than walking the whole folder.
    /// </summary>
    public static async IAsyncEnumerable<MessageState> ChangedSinceAsync(ImapSession session, SelectedFolder selected, long since)
    {
        var after = 0L;
        while (true)
        {
            var slots = await selected.Grain.GetSlotsChangedSinceAsync(selected.FolderId, since, after, IMailboxGrain.MaxSlotBatch);
            foreach (var slot in slots)
            {
                if (slot.Uid > selected.MaxUid) yield break;
                if (selected.IndexOfUid(slot.Uid) >= 0) yield return MessageState.FromSlot(slot);
            }
            if (slots.Count < IMailboxGrain.MaxSlotBatch) yield break;
            after = slots[^1].Uid;
        }
    }

    /// <summary>UIDs of the folder expunged after <paramref name="since"/>, from the change log.</summary>
    public static async Task<List<long>> ExpungedSinceAsync(IMailboxGrain mailbox, int folderId, long since, long until)
    {
        var uids = new List<long>();
        var position = since;
        while (position < until)
        {
            var changes = await mailbox.GetChangesAsync(position, 5000);
            foreach (var change in changes)
            {
                if (change.Modseq > until) return uids;
                if (change.FolderId == folderId && change.Kind == MailboxChangeKind.Expunged && change.Uid is { } uid) uids.Add(uid);
            }
            if (changes.Count < 5000) break;
            position = changes[^1].Modseq;
        }
        return uids;
    }
}
