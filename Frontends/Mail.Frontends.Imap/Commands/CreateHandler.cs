using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Errors;

namespace Mail.Frontends.Imap.Commands;

/// <summary>CREATE (RFC 9051 §6.3.4): missing parents are created too; a trailing delimiter is dropped.</summary>
public sealed class CreateHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["CREATE"];

    /// <inheritdoc />
    public ImapState States => ImapState.LoggedIn;

    /// <inheritdoc />
    public async Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        var name = session.DecodeMailbox(((MailboxCommand)command).Mailbox).TrimEnd('/');
        if (name.Equals("INBOX", StringComparison.OrdinalIgnoreCase)) return ImapResult.No("INBOX already exists", "ALREADYEXISTS");
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
            await grain.CreateFolderAsync(name, subscribe: false);
            return ImapResult.Ok("CREATE completed");
        }
        catch (MailException e)
        {
            return MailErrors.ToResult(e);
        }
    }
}
