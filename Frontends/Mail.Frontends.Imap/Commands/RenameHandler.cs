using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Errors;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// RENAME (RFC 9051 §6.3.6): sub-folders move with their parent. Renaming INBOX is refused. A shared folder (RFC 4314 §4)
/// is renamed within its owner's mailbox only, with "x" on it and "k" on the new name's parent.
/// </summary>
public sealed class RenameHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["RENAME"];

    /// <inheritdoc />
    public ImapState States => ImapState.LoggedIn;

    /// <inheritdoc />
    public async Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        var rename = (RenameCommand)command;
        var from = session.DecodeMailbox(rename.From);
        var to = session.DecodeMailbox(rename.To).TrimEnd('/');
        var grain = session.Mailbox;
        if (OtherUsersNamespace.Contains(from) || OtherUsersNamespace.Contains(to))
        {
            var source = await session.ResolveAsync(from);
            if (source is null) return ImapResult.No($"Mailbox {from} does not exist", "NONEXISTENT");
            if (!source.Has('x')) return ImapResult.No($"No right to rename {from}", "NOPERM");
            var cut = to.LastIndexOf('/');
            var parent = cut > 0 ? await session.ResolveAsync(to[..cut]) : null;
            if (parent is null || parent.Grain.GetGrainId() != source.Grain.GetGrainId() || !parent.Has('k')
                || !OtherUsersNamespace.TryParse(to, out _, out var target))
            {
                return ImapResult.No($"No right to create {to}", "NOPERM");
            }
            (grain, from, to) = (source.Grain, source.Folder, target);
        }
        try
        {
            await grain.RenameFolderAsync(from, to);
            return ImapResult.Ok("RENAME completed");
        }
        catch (MailException e)
        {
            return MailErrors.ToResult(e);
        }
    }
}
