using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Errors;

namespace Mail.Frontends.Imap.Commands;

/// <summary>RENAME (RFC 9051 §6.3.6): sub-folders move with their parent. Renaming INBOX is refused.</summary>
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
        try
        {
            await session.Mailbox.RenameFolderAsync(session.DecodeMailbox(rename.From), session.DecodeMailbox(rename.To).TrimEnd('/'));
            return ImapResult.Ok("RENAME completed");
        }
        catch (MailException e)
        {
            return MailErrors.ToResult(e);
        }
    }
}
