using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;

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
        session.Select(null);
        if (selected.ReadOnly) return ImapResult.Ok("CLOSE completed");
        foreach (var message in selected.Messages.Where(m => m.Flags.Contains(MessageFlags.Deleted)).ToList())
        {
            try
            {
                await session.Mailbox.ExpungeMessageAsync(message.MessageId);
            }
            catch (MailException e) when (e.Code == MailErrorCode.NotFound)
            {
                // Already gone through another session.
            }
        }
        return ImapResult.Ok("CLOSE completed");
    }
}
