using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Errors;

namespace Mail.Frontends.Imap.Commands;

/// <summary>CLOSE (RFC 9051 §6.4.1): removes \Deleted messages silently (unless read-only) and leaves the selected state.</summary>
public sealed class CloseHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["CLOSE"];

    /// <inheritdoc />
    public ImapState States => ImapState.Selected;

    /// <inheritdoc />
    public async Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        var selected = session.Selected!;
        // RFC 4314 §4: without "e" CLOSE removes nothing, and says nothing of it.
        if (!selected.ReadOnly && selected.Target.Has('e'))
        {
            try
            {
                await ExpungeHandler.ExpungeDeletedAsync(session, MessageIndexes.All(selected.Count));
            }
            catch (MailException e) when (e.Code == MailErrorCode.NotFound)
            {
                // The folder was deleted meanwhile: nothing is left to remove.
            }
        }
        session.Select(null);
        return ImapResult.Ok("CLOSE completed");
    }
}
