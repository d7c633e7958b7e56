using System.Net;
using Mail.Frontends.Hosting;
using Mail.Frontends.ManageSieve.Protocol;
using Mail.Frontends.ManageSieve.Session;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mail.Frontends.ManageSieve.Hosting;

/// <summary>
/// The ManageSieve listener on the shared read loop: the greeting is the capability listing and OK (RFC 5804 §1.7),
/// then command by command to its handler; commands other than CAPABILITY, STARTTLS, AUTHENTICATE, NOOP and LOGOUT
/// need an authenticated session. Too many errors, a limit or a timeout end the session with BYE.
/// </summary>
public sealed class ManageSieveConnectionHandler(
    IOptions<ManageSieveOptions> options,
    IGrainFactory grains,
    ManageSieveHandlerSet handlers,
    ServerCertificate certificate,
    CredentialVerifier credentials,
    SaslDecoder sasl,
    ILogger<ManageSieveConnectionHandler> logger)
    : ProtocolConnectionHandler<ManageSieveSession, ManageSieveCommand>(options.Value.MaxConnectionsPerIp, options.Value.MaxConnections, logger)
{
    /// <inheritdoc />
    protected override ManageSieveSession Open(ConnectionContext connection, ConnectionTransport transport, IPAddress remote) =>
        new(transport, options.Value, remote, grains, credentials, sasl, certificate.Certificate, logger);

    /// <inheritdoc />
    protected override void Refuse(ManageSieveSession session, Admission refusal) =>
        session.Write(ManageSieveResponse.Bye("too many connections, try again later", "TRYLATER"));

    /// <inheritdoc />
    protected override void Greet(ManageSieveSession session)
    {
        session.WriteCapabilities();
        session.Write(ManageSieveResponse.Ok("ManageSieve ready"));
    }

    /// <inheritdoc />
    protected override SessionDeadlines Deadlines(ManageSieveSession session) => session.Deadlines;

    /// <inheritdoc />
    protected override Task<ManageSieveCommand?> ReadCommandAsync(ManageSieveSession session, CancellationToken ct) => session.ReadCommandAsync(ct);

    /// <inheritdoc />
    protected override void TimedOut(ManageSieveSession session, SessionTimeout timeout) =>
        session.Write(ManageSieveResponse.Bye("idle for too long"));

    /// <inheritdoc />
    protected override async Task ExecuteAsync(ManageSieveSession session, ManageSieveCommand command, CancellationToken ct)
    {
        // Every reply to a command goes out within this call, so a NO is counted here, once, by command.
        var errors = session.Errors;
        if (command.Error is { } error)
        {
            session.Write(session.Closing ? ManageSieveResponse.Bye(error) : ManageSieveResponse.No(error));
        }
        else if (!handlers.TryGet(command.Keyword, out var handler))
        {
            session.Write(ManageSieveResponse.No($"unknown command {command.Keyword}"));
        }
        else if (handler.RequiresAuthentication && session.Account is null)
        {
            session.Write(ManageSieveResponse.No("authenticate first"));
        }
        else
        {
            await RunAsync(session, handler, command, ct);
        }
        if (session.Errors > errors)
        {
            Mail.Grains.Interfaces.Diagnostics.MailTelemetry.CommandError("managesieve",
                command.Error is null && handlers.TryGet(command.Keyword, out _) ? command.Keyword : "unknown");
        }
        if (session.Errors >= session.Options.MaxErrorsPerSession && !session.Closing)
        {
            session.Write(ManageSieveResponse.Bye("too many errors"));
            session.Closing = true;
        }
    }

    private async Task RunAsync(ManageSieveSession session, IManageSieveHandler handler, ManageSieveCommand command, CancellationToken ct)
    {
        try
        {
            if (session.Account is { } account && !await session.Credentials.IsCurrentAsync(account))
            {
                // A suspension or password change ends open sessions.
                session.Write(ManageSieveResponse.Bye("session revoked"));
                session.Closing = true;
                return;
            }
            await handler.HandleAsync(session, command, ct);
        }
        catch (Exception e) when (!IsDisconnect(e))
        {
            logger.LogError(e, "Session {Session}: {Command} failed", session.Id, command.Keyword);
            session.Write(ManageSieveResponse.No("temporary failure, try again", "TRYLATER"));
        }
    }
}
