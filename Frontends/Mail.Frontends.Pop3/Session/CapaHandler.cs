using Mail.Frontends.Pop3.Protocol;

namespace Mail.Frontends.Pop3.Session;

/// <summary>
/// CAPA (RFC 2449 §5): the capabilities usable now. STLS only before TLS and when a certificate is set
/// (RFC 2595 §4); USER and SASL only where login is allowed, so a client never sees a mechanism it may not
/// use (RFC 2595 §4, RFC 5034 §3); login capabilities only before login.
/// </summary>
public sealed class CapaHandler : IPop3CommandHandler
{
    /// <inheritdoc />
    public string Keyword => "CAPA";

    /// <inheritdoc />
    public Pop3State ValidIn => Pop3State.Authorization | Pop3State.Transaction;

    /// <inheritdoc />
    public Task HandleAsync(Pop3Session session, Pop3Command command, CancellationToken ct)
    {
        if (command.Argument.Length > 0)
        {
            session.Reply(Pop3Responses.Syntax("CAPA takes no argument"));
            return Task.CompletedTask;
        }
        var login = session.State == Pop3State.Authorization;
        var lines = new List<string> { "TOP" };
        if (login && session.MayAuthenticate) lines.Add("USER");
        lines.AddRange(["UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING"]);
        if (login && session.MayAuthenticate) lines.Add("SASL PLAIN");
        if (login && !session.Transport.IsTls && session.Certificate is not null) lines.Add("STLS");
        lines.Add("IMPLEMENTATION Mail");
        session.Reply(Pop3Response.Multiline("Capability list follows", lines));
        return Task.CompletedTask;
    }
}
