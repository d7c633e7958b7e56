using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// UNAUTHENTICATE (RFC 8437 §3): ends the identity but keeps the connection (and its TLS) for another LOGIN or
/// AUTHENTICATE; a selected mailbox is closed without expunge.
/// </summary>
public sealed class UnauthenticateHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["UNAUTHENTICATE"];

    /// <inheritdoc />
    public ImapState States => ImapState.LoggedIn;

    /// <inheritdoc />
    public async Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        // NOTIFY (RFC 5465) follows the identity that ends here.
        await session.StopNotifyAsync();
        session.LogOut();
        return ImapResult.Ok("UNAUTHENTICATE completed");
    }
}
