using Mail.Frontends.Pop3.Protocol;

namespace Mail.Frontends.Pop3.Session;

/// <summary>
/// USER name (RFC 1939 §7): remembers the name for the PASS that must follow. Always "+OK", so the answer
/// does not reveal whether the mailbox exists. Refused before TLS unless plaintext login is allowed (RFC 2595 §4).
/// </summary>
public sealed class UserHandler : IPop3CommandHandler
{
    /// <inheritdoc />
    public string Keyword => "USER";

    /// <inheritdoc />
    public Pop3State ValidIn => Pop3State.Authorization;

    /// <inheritdoc />
    public Task HandleAsync(Pop3Session session, Pop3Command command, CancellationToken ct)
    {
        if (!session.MayAuthenticate)
        {
            session.Reply(Pop3Responses.TlsRequired);
            return Task.CompletedTask;
        }
        if (command.Arguments.Count != 1 || command.Argument.Length == 0)
        {
            session.Reply(Pop3Responses.Syntax("USER name"));
            return Task.CompletedTask;
        }
        session.PendingUser = command.Argument;
        session.Reply(Pop3Response.Success("send PASS"));
        return Task.CompletedTask;
    }
}
