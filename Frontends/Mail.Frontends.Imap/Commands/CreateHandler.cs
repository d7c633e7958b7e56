using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// CREATE (RFC 9051 §6.3.4): missing parents are created too; a trailing delimiter is dropped. The new folder's MAILBOXID
/// comes in the tagged OK (OBJECTID, RFC 8474 §4.1). USE (\Archive) gives it a special-use attribute (CREATE-SPECIAL-USE,
/// RFC 6154 §3); one this server cannot give, or more than one, is refused with NO [USEATTR] and nothing is created.
/// </summary>
public sealed class CreateHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["CREATE"];

    /// <inheritdoc />
    public ImapState States => ImapState.LoggedIn;

    /// <inheritdoc />
    public async Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        var create = (CreateCommand)command;
        var name = session.DecodeMailbox(create.Mailbox).TrimEnd('/');
        if (name.Equals("INBOX", StringComparison.OrdinalIgnoreCase)) return ImapResult.No("INBOX already exists", "ALREADYEXISTS");
        if (create.SpecialUse.Count > 1) return ImapResult.No("A mailbox can have only one special use here", "USEATTR");
        var use = create.SpecialUse.Count == 0 ? null : create.SpecialUse[0];
        if (use is not null && !SpecialFolders.Creatable.Contains(use, StringComparer.OrdinalIgnoreCase))
        {
            return ImapResult.No($"Mailboxes cannot be created with the special use {use}", "USEATTR");
        }
        var grain = session.Mailbox;
        if (OtherUsersNamespace.Contains(name))
        {
            // RFC 4314 §4: a folder in another account's mailbox takes "k" on its parent, which must be a shared folder.
            var cut = name.LastIndexOf('/');
            var parent = cut > 0 ? await session.ResolveAsync(name[..cut]) : null;
            if (parent is null || !OtherUsersNamespace.TryParse(name, out _, out var folder)) return ImapResult.No($"Cannot create {name}", "NOPERM");
            if (!parent.Has('k')) return ImapResult.No($"No right to create folders in {name[..cut]}", "NOPERM");
            grain = parent.Grain;
            name = folder;
        }
        try
        {
            // RFC 9051 §6.3.4: CREATE does not subscribe; a client that wants the folder listed by LSUB subscribes it.
            var folder = await grain.CreateFolderAsync(name, subscribe: false, use);
            return ImapResult.Ok("CREATE completed", $"MAILBOXID ({ObjectIds.MailboxId(folder.FolderId, folder.UidValidity)})");
        }
        catch (MailException e)
        {
            return MailErrors.ToResult(e);
        }
    }
}
