using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// COPY and MOVE with their UID forms (RFC 9051 §6.4.7, §6.4.8, RFC 6851): [COPYUID uidvalidity source-uids
/// destination-uids] (RFC 4315 §3); MOVE sends COPYUID untagged, then the expunges of the moved messages. The whole
/// set is placed in one grain call and one transaction, so a COPY that fails (over quota) copies nothing. The selected
/// mailbox is a target like any other: its new messages arrive as EXISTS after the command (MOVE: after the expunges).
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
        var (set, byUid) = session.Substitute(copy.Set, copy.Uid);
        var indexes = selected.Resolve(set, byUid);
        if (indexes is null) return ImapResult.Bad("Invalid message sequence number");
        var name = session.DecodeMailbox(copy.Mailbox);
        var destination = await session.ResolveAsync(name);
        if (destination is null) return ImapResult.No($"Mailbox {name} does not exist", "NONEXISTENT");
        // RFC 4314 §4: COPY takes "i" on the target; MOVE also "t" and "e" on the source (RFC 6851 §3.3: it expunges).
        if (!destination.Has('i')) return ImapResult.No($"No right to insert into {name}", "NOPERM");
        if (move && !(selected.Target.Has('t') && selected.Target.Has('e'))) return ImapResult.No("No right to remove messages here", "NOPERM");
        var folders = await destination.Grain.ListFoldersAsync();
        var target = folders.FirstOrDefault(f => StatusHandler.SameName(f.Name, destination.Folder));
        if (target is null) return ImapResult.No($"Mailbox {name} does not exist", "TRYCREATE");
        if (indexes.Count > IMailboxGrain.MaxPlaceBatch)
        {
            return ImapResult.No($"At most {IMailboxGrain.MaxPlaceBatch} messages per {copy.Name}", "LIMIT");
        }
        IReadOnlyList<PlacedMessage> placed;
        try
        {
            // Within one mailbox: one grain call, one transaction, all of it happens or none (RFC 9051 §6.4.7). Between two
            // accounts' mailboxes (a shared folder on either side) each message is filed anew into the other grain.
            placed = destination.Grain.GetGrainId() == selected.Grain.GetGrainId()
                ? await selected.Grain.PlaceMessagesAsync(indexes.Select(selected.MessageIdAt).ToArray(), target.Name, move)
                : await SharedCopy.PlaceAsync(selected, destination, target.Name, indexes.ToList(), move);
        }
        catch (MailException e)
        {
            return MailErrors.ToResult(e);
        }
        var byId = placed.ToDictionary(p => p.SourceMessageId);
        var sources = new List<long>();
        var destinations = new List<long>();
        foreach (var index in indexes)
        {
            if (!byId.TryGetValue(selected.MessageIdAt(index), out var landed)) continue; // expunged meanwhile by another session
            sources.Add(selected.UidAt(index));
            destinations.Add(landed.Uid);
        }
        var code = sources.Count == 0 ? null : $"COPYUID {target.UidValidity} {SequenceSet.Format(sources)} {SequenceSet.Format(destinations)}";
        if (move)
        {
            if (code is not null) session.Untagged($"OK [{code}] Moved");
            ExpungeHandler.Report(session, selected, sources);
            return ImapResult.Ok("MOVE completed");
        }
        return ImapResult.Ok("COPY completed", code);
    }
}
