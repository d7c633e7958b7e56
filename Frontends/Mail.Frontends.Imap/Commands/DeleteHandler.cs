using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Errors;

namespace Mail.Frontends.Imap.Commands;

/// <summary>DELETE (RFC 9051 §6.3.5): INBOX and special-use folders cannot be deleted.</summary>
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
        try
        {
            await session.Mailbox.DeleteFolderAsync(name);
            if (session.Selected is { } selected && StatusHandler.SameName(selected.Name, name)) session.Select(null);
            return ImapResult.Ok("DELETE completed");
        }
        catch (MailException e)
        {
            return MailErrors.ToResult(e);
        }
    }
}
