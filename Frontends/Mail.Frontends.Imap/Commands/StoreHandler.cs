using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// STORE and UID STORE (RFC 9051 §6.4.6): FLAGS, +FLAGS, -FLAGS, .SILENT, and UNCHANGEDSINCE (RFC 7162 §3.1.3),
/// answering OK [MODIFIED set] for messages changed since the client's MODSEQ. The grain checks UNCHANGEDSINCE
/// and writes a whole range in one transaction, so marking a folder read is one write, not one per message.
/// </summary>
public sealed class StoreHandler : IImapCommandHandler
{
    private static readonly string[] SystemFlags =
        [MessageFlags.Seen, MessageFlags.Answered, MessageFlags.Flagged, MessageFlags.Deleted, MessageFlags.Draft];

    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["STORE"];

    /// <inheritdoc />
    public ImapState States => ImapState.Selected;

    /// <inheritdoc />
    public async Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        var store = (StoreCommand)command;
        var selected = session.Selected!;
        if (selected.ReadOnly) return ImapResult.No("Mailbox is read-only", "READ-ONLY");
        var (set, byUid) = session.Substitute(store.Set, store.Uid);
        var indexes = selected.Resolve(set, byUid);
        if (indexes is null) return ImapResult.Bad("Invalid message sequence number");
        if (!TryCheckFlags(store.Flags, out var flags, out var bad)) return ImapResult.Bad(bad!);
        if (store.UnchangedSince is not null) session.EnableCondstore();
        var mode = store.Mode switch
        {
            StoreMode.Add => FlagStoreMode.Add,
            StoreMode.Remove => FlagStoreMode.Remove,
            _ => FlagStoreMode.Replace,
        };
        // RFC 4314 §4: each flag a STORE changes takes its right; replacing the flags changes every one of them.
        var needed = mode == FlagStoreMode.Replace ? ['s', 'w', 't'] : flags.Select(FlagRights.RightOf).Distinct().ToArray();
        if (needed.Any(right => !selected.Target.Has(right))) return ImapResult.No("No right to change these flags here", "NOPERM");
        var modified = new List<long>();
        // One grain call, and one database transaction, per chunk of messages.
        foreach (var chunk in indexes.Chunk(IMailboxGrain.MaxContentBatch))
        {
            FlagStoreResult result;
            try
            {
                result = await session.SelectedMailbox.StoreFlagsAsync(chunk.Select(selected.MessageIdAt).ToArray(), mode, flags, store.UnchangedSince);
            }
            catch (MailException e)
            {
                return MailErrors.ToResult(e);
            }
            selected.NoteOwnChanges(result.FirstModseq, result.LastModseq);
            var stored = result.Stored.ToDictionary(s => s.MessageId);
            var refused = result.Modified.ToHashSet();
            foreach (var index in chunk)
            {
                var (id, uid) = (selected.MessageIdAt(index), selected.UidAt(index));
                if (refused.Contains(id))
                {
                    modified.Add(store.Uid ? uid : index + 1);
                    continue;
                }
                if (!stored.TryGetValue(id, out var updated)) continue; // expunged meanwhile
                var changed = updated.Modseq >= result.FirstModseq && updated.Modseq <= result.LastModseq;
                var state = new MessageState(id, uid, updated.Modseq, updated.Flags, 0, default);
                // RFC 7162 §3.1.3: with CONDSTORE the new MODSEQ is reported even for .SILENT.
                if (!store.Silent) session.WriteFlags(index, state, includeUid: store.Uid || session.Condstore);
                else if (session.Condstore && changed) session.Writer().Raw(session.FetchHead(index, uid) + $"(UID {uid} MODSEQ ({updated.Modseq}))").Crlf();
            }
            await session.FlushAsync(ct);
        }
        if (modified.Count > 0) return ImapResult.Ok("Conditional STORE failed", "MODIFIED " + SequenceSet.Format(modified.Order()));
        return ImapResult.Ok("STORE completed");
    }

    /// <summary>
    /// Checks flags from the client: system flags in their canonical spelling, keywords as atoms; \Recent cannot
    /// be stored (RFC 9051 §2.3.2) and is dropped.
    /// </summary>
    public static bool TryCheckFlags(IReadOnlyList<string> requested, out string[] flags, out string? error)
    {
        var result = new List<string>();
        error = null;
        foreach (var flag in requested)
        {
            if (flag.Equals("\\Recent", StringComparison.OrdinalIgnoreCase)) continue;
            if (flag.StartsWith('\\'))
            {
                var system = SystemFlags.FirstOrDefault(f => f.Equals(flag, StringComparison.OrdinalIgnoreCase));
                if (system is null)
                {
                    flags = [];
                    error = $"{flag} is not a system flag";
                    return false;
                }
                if (!result.Contains(system)) result.Add(system);
            }
            else if (!result.Contains(flag)) result.Add(flag);
        }
        flags = result.ToArray();
        return true;
    }
}
