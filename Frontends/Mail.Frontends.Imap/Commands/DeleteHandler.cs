using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Errors;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// DELETE (RFC 9051 §6.3.4): INBOX and special-use folders cannot be deleted, and neither can a folder with
/// sub-folders: the RFC lets a server that does not keep such a name refuse with NO, here with RFC 5530's
/// HASCHILDREN code, so no client deletes a whole tree by deleting its root.
/// </summary>
public sealed class DeleteHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["DELETE"];

    /// <inheritdoc />
    public ImapState States => ImapState.LoggedIn;

    /// <inheritdoc />
    public async Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        var name = session.DecodeMailbox(((MailboxCommand)command).Mailbox);
        var target = await session.ResolveAsync(name);
        if (target is null) return ImapResult.No($"Mailbox {name} does not exist", "NONEXISTENT");
        // RFC 4314 §4: DELETE takes "x" on the folder.
        if (!target.Has('x')) return ImapResult.No($"No right to delete {name}", "NOPERM");
        try
        {
            var folders = await target.Grain.ListFoldersAsync();
            if (folders.FirstOrDefault(f => StatusHandler.SameName(f.Name, target.Folder)) is { } folder
                && folders.Any(f => f.Name.StartsWith(folder.Name + "/", StringComparison.Ordinal)))
            {
                return ImapResult.No($"{folder.Name} has sub-folders; delete them first", "HASCHILDREN");
            }
            await target.Grain.DeleteFolderAsync(target.Folder);
            if (session.Selected is { } selected && StatusHandler.SameName(selected.Name, name)) session.Select(null);
            return ImapResult.Ok("DELETE completed");
        }
        catch (MailException e)
        {
            return MailErrors.ToResult(e);
        }
    }
}
