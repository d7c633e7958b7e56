using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;

namespace Mail.Frontends.Imap.Commands;

/// <summary>CANCELUPDATE (RFC 5267 §4.3): ends the updates of SEARCH/SORT RETURN (UPDATE) results named by their tags.</summary>
public sealed class CancelUpdateHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["CANCELUPDATE"];

    /// <inheritdoc />
    public ImapState States => ImapState.Selected;

    /// <inheritdoc />
    public Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct) =>
        Task.FromResult(session.Updates.Cancel(((CancelUpdateCommand)command).Tags)
            ? ImapResult.Ok("Updates cancelled")
            : ImapResult.Bad("Unknown tag: no updating search has it"));
}
