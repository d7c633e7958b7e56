using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;

namespace Mail.Frontends.Imap.Commands;

/// <summary>LOGOUT (RFC 9051 §6.1.3): BYE, then the tagged OK, then the connection closes.</summary>
public sealed class LogoutHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["LOGOUT"];

    /// <inheritdoc />
    public ImapState States => ImapState.Any;

    /// <inheritdoc />
    public Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        session.Untagged("BYE Logging out");
        session.Closing = true;
        return Task.FromResult(ImapResult.Ok("LOGOUT completed"));
    }
}
