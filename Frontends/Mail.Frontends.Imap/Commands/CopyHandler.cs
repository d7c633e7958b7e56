using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// COPY and MOVE with their UID forms (RFC 9051 §6.4.7, §6.4.8, RFC 6851): [COPYUID uidvalidity source-uids
/// destination-uids] (RFC 4315 §3); MOVE sends COPYUID untagged, then the expunges of the moved messages.
/// </summary>
public sealed class CopyHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["COPY", "MOVE"];

    /// <inheritdoc />
    public ImapState States => ImapState.Selected;

    /// <inheritdoc />
    public async Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        var copy = (CopyCommand)command;
        var move = copy.Name == "MOVE";
        var selected = session.Selected!;
        if (move && selected.ReadOnly) return ImapResult.No("Mailbox is read-only", "READ-ONLY");
        var indexes = selected.Resolve(copy.Set, copy.Uid);
        if (indexes is null) return ImapResult.Bad("Invalid message sequence number");
        var name = session.DecodeMailbox(copy.Mailbox);
        var folders = await session.Mailbox.ListFoldersAsync();
        var target = folders.FirstOrDefault(f => StatusHandler.SameName(f.Name, name));
        if (target is null) return ImapResult.No($"Mailbox {name} does not exist", "TRYCREATE");
        if (move && target.FolderId == selected.FolderId) return ImapResult.No("Cannot move messages into the mailbox they are in", "CANNOT");
        var sources = new List<long>();
        var destinations = new List<long>();
        var moved = new List<MessageState>();
        ImapResult? failure = null;
        foreach (var index in indexes)
        {
            var state = selected.Messages[index];
            try
            {
                var record = move
                    ? await session.Mailbox.UpdateMessageAsync(state.MessageId, new MessageUpdate(MoveTo: target.Name))
                    : await session.Mailbox.CopyMessageAsync(state.MessageId, target.Name);
                sources.Add(state.Uid);
                destinations.Add(record.Uid);
                if (move) moved.Add(state);
            }
            catch (MailException e) when (e.Code == MailErrorCode.NotFound)
            {
                // Expunged meanwhile by another session: nothing to copy.
            }
            catch (MailException e)
            {
                failure = MailErrors.ToResult(e);
                break;
            }
        }
        var code = sources.Count == 0 ? null : $"COPYUID {target.UidValidity} {SequenceSet.Format(sources)} {SequenceSet.Format(destinations)}";
        if (move)
        {
            if (code is not null) session.Untagged($"OK [{code}] Moved");
            ExpungeHandler.Report(session, selected, moved);
            return failure ?? ImapResult.Ok("MOVE completed");
        }
        return failure ?? ImapResult.Ok("COPY completed", code);
    }
}
