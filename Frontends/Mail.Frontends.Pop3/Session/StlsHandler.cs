using Mail.Frontends.Pop3.Protocol;

namespace Mail.Frontends.Pop3.Session;

/// <summary>
/// STLS (RFC 2595 §4): "+OK", then the TLS handshake. Whatever the client pipelined after STLS in plaintext
/// is discarded unread, and a pending USER is forgotten, so nothing crosses into the TLS session.
/// </summary>
public sealed class StlsHandler : IPop3CommandHandler
{
    /// <inheritdoc />
    public string Keyword => "STLS";

    /// <inheritdoc />
    public Pop3State ValidIn => Pop3State.Authorization;

    /// <inheritdoc />
    public async Task HandleAsync(Pop3Session session, Pop3Command command, CancellationToken ct)
    {
        if (command.Argument.Length > 0)
        {
            session.Reply(Pop3Responses.Syntax("STLS takes no argument"));
            return;
        }
        if (session.Transport.IsTls)
        {
            session.Reply(Pop3Response.Error("command not permitted when TLS active"));
            return;
        }
        if (session.Certificate is null)
        {
            session.Reply(Pop3Response.Error("TLS not available"));
            return;
        }
        session.Reply(Pop3Response.Success("Begin TLS negotiation"));
        if (!await session.Transport.TryStartTlsAsync(session.Certificate, session.Deadlines.Idle, ct))
        {
            session.Closing = true;
            return;
        }
        session.PendingUser = null;
    }
}
