using Mail.Frontends.ManageSieve.Protocol;

namespace Mail.Frontends.ManageSieve.Session;

/// <summary>
/// STARTTLS (RFC 5804 §2.2): OK, the handshake (whatever the client sent after the command in plaintext is dropped),
/// then the capabilities again, since they change under TLS (SASL PLAIN appears), and OK.
/// </summary>
public sealed class StartTlsHandler : IManageSieveHandler
{
    /// <inheritdoc />
    public string Keyword => "STARTTLS";

    /// <inheritdoc />
    public bool RequiresAuthentication => false;

    /// <inheritdoc />
    public async Task HandleAsync(ManageSieveSession session, ManageSieveCommand command, CancellationToken ct)
    {
        if (session.Transport.IsTls || session.Account is not null)
        {
            session.Write(ManageSieveResponse.No("TLS is already active or the session is authenticated"));
            return;
        }
        if (session.Certificate is null)
        {
            session.Write(ManageSieveResponse.No("TLS is not available"));
            return;
        }
        session.Write(ManageSieveResponse.Ok("Begin TLS negotiation now"));
        if (!await session.Transport.TryStartTlsAsync(session.Certificate, session.Deadlines.Idle, ct))
        {
            session.Closing = true;
            return;
        }
        session.WriteCapabilities();
        session.Write(ManageSieveResponse.Ok("TLS negotiation successful"));
    }
}
