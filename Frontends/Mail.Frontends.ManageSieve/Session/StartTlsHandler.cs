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
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(session.Deadlines.Idle);
            await session.Transport.StartTlsAsync(session.Certificate, timeout.Token);
        }
        catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException
                                  || e is OperationCanceledException && !ct.IsCancellationRequested)
        {
            session.Closing = true;
            return;
        }
        session.WriteCapabilities();
        session.Write(ManageSieveResponse.Ok("TLS negotiation successful"));
    }
}
