using Mail.Frontends.Imap.Mime;
using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// REPLACE and UID REPLACE (RFC 8508): the new message is filed in the named mailbox and the old one expunged from the
/// selected mailbox in one grain write (§3.4: both or neither). The new message's UID comes in an untagged
/// OK [APPENDUID] (§3.3, UIDPLUS), then EXISTS and EXPUNGE (VANISHED with QRESYNC) as the session's update. A sequence
/// number beyond the mailbox is BAD (RFC 9051 §9), a UID not in it NO; a read-only mailbox cannot lose the old message.
/// The literal stays in the command (bounded by the literal limit): REPLACE is for drafts, not large mail.
/// </summary>
public sealed class ReplaceHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["REPLACE"];

    /// <inheritdoc />
    public ImapState States => ImapState.Selected;

    /// <inheritdoc />
    public async Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        var replace = (ReplaceCommand)command;
        var selected = session.Selected!;
        long uid;
        if (replace.Uid)
        {
            if (selected.IndexOfUid(replace.Number) < 0) return ImapResult.No($"No message with UID {replace.Number}", "NONEXISTENT");
            uid = replace.Number;
        }
        else
        {
            if (replace.Number > selected.Count) return ImapResult.Bad("Invalid message sequence number");
            uid = selected.UidAt((int)replace.Number - 1);
        }
        if (selected.ReadOnly) return ImapResult.No("The selected mailbox is read-only: its message cannot be replaced");
        var message = replace.Message;
        if (!StoreHandler.TryCheckFlags(message.Flags, out var flags, out var bad)) return ImapResult.Bad(bad!);
        if (message.Utf8 && !session.Utf8Accept) return ImapResult.Bad("UTF8 data needs ENABLE UTF8=ACCEPT (RFC 6855 §4)");
        var name = session.DecodeMailbox(replace.Mailbox);
        var target = await session.ResolveAsync(name);
        if (target is null) return ImapResult.No($"Mailbox {name} does not exist", "NONEXISTENT");
        // RFC 4314 §4 as for APPEND into the target and EXPUNGE from the selected mailbox; the one grain write needs one owner.
        if (!target.Has('i')) return ImapResult.No($"No right to append to {name}", "NOPERM");
        if (!(selected.Target.Has('t') && selected.Target.Has('e'))) return ImapResult.No("No right to remove messages here", "NOPERM");
        if (target.Grain.GetGrainId() != selected.Grain.GetGrainId()) return ImapResult.No("REPLACE works within one account's mailbox", "CANNOT");
        var folders = await target.Grain.ListFoldersAsync();
        var folder = folders.FirstOrDefault(f => StatusHandler.SameName(f.Name, target.Folder));
        if (folder is null) return ImapResult.No($"Mailbox {name} does not exist", "TRYCREATE");
        flags = FlagRights.Permitted(target, flags).ToArray();
        ReadOnlyMemory<byte> content;
        if (message.Catenate is { } parts)
        {
            // CATENATE's URLs name the session's own mailboxes (RFC 4469 §5).
            var ownFolders = target.Shared ? await session.Mailbox.ListFoldersAsync() : folders;
            var (assembled, refusal) = await CatenateAssembler.AssembleAsync(session, parts, ownFolders, session.Options.MaxLiteralBytes, ct);
            if (refusal is not null) return refusal;
            content = assembled!;
        }
        else
        {
            content = message.Binary && BinaryAppend.Encode(message.Message) is { } encoded ? encoded : message.Message;
        }
        if (content.IsEmpty) return ImapResult.No("Empty message");

        var account = session.Account!;
        var blob = await session.Blobs.PutAsync(account.TenantId, new MemoryStream(content.ToArray(), writable: false), ct);
        PlacedMessage placed;
        try
        {
            placed = await selected.Grain.ReplaceAsync(new MessageDelivery(
                "imap-replace/" + Guid.NewGuid().ToString("N"), folder.Name, new StoredBlob(account.TenantId, blob.Name, blob.Length),
                AppendHandler.Summary(content), flags, [], message.InternalDate ?? DateTimeOffset.UtcNow), selected.FolderId, uid);
        }
        catch (MailException e)
        {
            // A refusal wrote nothing: the blob is referenced by no row.
            await session.Blobs.DeleteAsync(account.TenantId, blob, CancellationToken.None);
            return MailErrors.ToResult(e);
        }
        session.Untagged($"OK [APPENDUID {folder.UidValidity} {placed.Uid}] Replacement Message ID");
        return ImapResult.Ok("REPLACE completed");
    }
}
