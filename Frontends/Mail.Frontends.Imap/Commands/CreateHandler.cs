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
        try
        {
            // RFC 9051 §6.3.4: CREATE does not subscribe; a client that wants the folder listed by LSUB subscribes it.
            await session.Mailbox.CreateFolderAsync(name, subscribe: false);
            return ImapResult.Ok("CREATE completed");
        }
        catch (MailException e)
        {
            return MailErrors.ToResult(e);
        }
    }
}
