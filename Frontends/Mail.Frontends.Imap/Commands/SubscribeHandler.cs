using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Errors;

namespace Mail.Frontends.Imap.Commands;

/// <summary>SUBSCRIBE and UNSUBSCRIBE (RFC 9051 §6.3.7, §6.3.8), kept on the folder by the mailbox grain.</summary>
public sealed class SubscribeHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["SUBSCRIBE", "UNSUBSCRIBE"];

    /// <inheritdoc />
    public ImapState States => ImapState.LoggedIn;

    /// <inheritdoc />
    public async Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        var mailbox = (MailboxCommand)command;
        try
        {
            await session.Mailbox.SetSubscribedAsync(session.DecodeMailbox(mailbox.Mailbox), command.Name == "SUBSCRIBE");
            return ImapResult.Ok(command.Name + " completed");
        }
        catch (MailException e)
        {
            return MailErrors.ToResult(e);
        }
    }
}
