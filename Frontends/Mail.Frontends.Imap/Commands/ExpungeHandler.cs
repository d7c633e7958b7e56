using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Frontends.Imap.Commands;

/// <summary>EXPUNGE (RFC 9051 §6.4.3) and UID EXPUNGE (§6.4.9, RFC 4315 §2.1): removes \Deleted messages and reports each removal.</summary>
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
        // The view must be current first, so that \Deleted set elsewhere counts and sequence numbers are right.
        await session.SyncAsync(allowExpunge: true);
        var set = command is ExpungeCommand { Set: var named } ? session.Substitute(named, uid: true).Set : null;
        var doomed = selected.Messages
            .Where(m => m.Flags.Contains(MessageFlags.Deleted) && (set is null || set.Contains(m.Uid, selected.MaxUid)))
            .ToList();
        foreach (var message in doomed)
        {
            try
            {
                await session.Mailbox.ExpungeMessageAsync(message.MessageId);
            }
            catch (MailException e) when (e.Code == MailErrorCode.NotFound)
            {
                // Removed meanwhile by another session; still gone from this view.
            }
        }
        Report(session, selected, doomed);
        return ImapResult.Ok("EXPUNGE completed");
    }

    /// <summary>Removes messages from the view and announces each: EXPUNGE with shifting sequence numbers, or one VANISHED with QRESYNC.</summary>
    public static void Report(ImapSession session, SelectedFolder selected, IReadOnlyList<MessageState> removed)
    {
        var uids = new List<long>();
        foreach (var message in removed)
        {
            var index = selected.IndexOfUid(message.Uid);
            if (index < 0) continue;
            selected.Messages.RemoveAt(index);
            session.Recent.Removed(message.Uid);
            if (session.Qresync) uids.Add(message.Uid);
            else session.Untagged($"{index + 1} EXPUNGE");
        }
        if (uids.Count > 0) session.Untagged("VANISHED " + SequenceSet.Format(uids.Order()));
    }
}
