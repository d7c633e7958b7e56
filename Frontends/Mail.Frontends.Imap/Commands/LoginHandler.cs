using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;

namespace Mail.Frontends.Imap.Commands;

/// <summary>LOGIN (RFC 9051 §6.2.3): refused with PRIVACYREQUIRED before TLS unless plaintext authentication is allowed (LOGINDISABLED).</summary>
public sealed class LoginHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["LOGIN"];

    /// <inheritdoc />
    public ImapState States => ImapState.NotAuthenticated;

    /// <inheritdoc />
    public async Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        var login = (LoginCommand)command;
        if (!session.PlaintextAuthAllowed) return ImapResult.No("LOGIN is disabled before STARTTLS", "PRIVACYREQUIRED");
        return await Credentials.CompleteAsync(session, await Credentials.VerifyAsync(session, login.User, login.Password), login.User);
    }
}
