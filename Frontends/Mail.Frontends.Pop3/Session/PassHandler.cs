using Mail.Frontends.Pop3.Protocol;

namespace Mail.Frontends.Pop3.Session;

/// <summary>
/// PASS string (RFC 1939 §7): only right after USER; the whole rest of the line is the password, spaces
/// included. Success locks the maildrop and enters TRANSACTION; a failure needs a new USER.
/// </summary>
public sealed class PassHandler : IPop3CommandHandler
{
    /// <inheritdoc />
    public string Keyword => "PASS";

    /// <inheritdoc />
    public Pop3State ValidIn => Pop3State.Authorization;

    /// <inheritdoc />
    public async Task HandleAsync(Pop3Session session, Pop3Command command, CancellationToken ct)
    {
        var user = session.PendingUser;
        session.PendingUser = null;
        if (!session.MayAuthenticate)
        {
            session.Reply(Pop3Responses.TlsRequired);
            return;
        }
        if (user is null)
        {
            session.Reply(Pop3Response.Error("send USER first"));
            return;
        }
        if (command.Argument.Length == 0)
        {
            session.Reply(Pop3Responses.Syntax("PASS string"));
            return;
        }
        await Pop3Login.LogInAsync(session, user, command.Argument);
    }
}
