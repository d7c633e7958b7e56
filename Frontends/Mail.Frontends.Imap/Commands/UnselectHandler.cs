using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;

namespace Mail.Frontends.Imap.Commands;

/// <summary>UNSELECT (RFC 3691, RFC 9051 §6.4.2): leaves the selected state without expunging.</summary>
public sealed class UnselectHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["UNSELECT"];

    /// <inheritdoc />
    public ImapState States => ImapState.Selected;

    /// <inheritdoc />
    public Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        session.Select(null);
        return Task.FromResult(ImapResult.Ok("UNSELECT completed"));
    }
}
