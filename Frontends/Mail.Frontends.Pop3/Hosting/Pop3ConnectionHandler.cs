using System.Net;
using Mail.Frontends.Hosting;
using Mail.Frontends.Pop3.Protocol;
using Mail.Frontends.Pop3.Session;
using Mail.Storage.Blobs;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mail.Frontends.Pop3.Hosting;

/// <summary>
/// One POP3 listener on the shared read loop (<see cref="ProtocolConnectionHandler{TSession, TCommand}"/>): greeting,
/// then line by line to the handler of each command if it is valid in the session's state (RFC 1939 §3), with the error
/// budget enforced here. However the session ends, the maildrop lock is released and nothing is deleted unless QUIT
/// reached the UPDATE state.
/// </summary>
public sealed class Pop3ConnectionHandler(
    IOptions<Pop3Options> options,
    IGrainFactory grains,
    IBlobStore blobs,
    Pop3HandlerSet handlers,
    ServerCertificate certificate,
    CredentialVerifier credentials,
    SaslDecoder sasl,
    ILogger<Pop3ConnectionHandler> logger)
    : ProtocolConnectionHandler<Pop3Session, ProtocolLine>(options.Value.MaxConnectionsPerIp, options.Value.MaxConnections, logger)
{
    /// <inheritdoc />
    protected override Pop3Session Open(ConnectionContext connection, ConnectionTransport transport, IPAddress remote) =>
        new(transport, options.Value, remote, grains, credentials, blobs, certificate.Certificate, logger) { Sasl = sasl };

    /// <inheritdoc />
    protected override void Refuse(Pop3Session session, Admission refusal) =>
        // RFC 2449 §8, RFC 3206 §4: SYS/TEMP tells the client to come back later.
        session.Reply(Pop3Response.Error(refusal == Admission.AddressFull ? "too many connections from your address" : "too many connections, try again later",
            Pop3ResponseCodes.SysTemp));

    /// <inheritdoc />
    protected override void Greet(Pop3Session session) => session.Reply(Pop3Responses.Greeting);

    /// <inheritdoc />
    protected override SessionDeadlines Deadlines(Pop3Session session) => session.Deadlines;

    /// <inheritdoc />
    protected override Task<ProtocolLine?> ReadCommandAsync(Pop3Session session, CancellationToken ct) => session.ReadLineAsync(ct);

    /// <inheritdoc />
    protected override void TimedOut(Pop3Session session, SessionTimeout timeout)
    {
        // RFC 1939 §3: the autologout timer closes the connection with no response and no UPDATE.
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(Pop3Session session, ProtocolLine read, CancellationToken ct)
    {
        // Every reply to a command goes out within this call, so an -ERR is counted here, once, by command.
        var errors = session.Errors;
        var label = "unknown";
        if (read.Status == LineStatus.TooLong) session.Reply(Pop3Responses.LineTooLong);
        else if (!Pop3Command.TryParse(read.Line, out var command, out var error)) session.Reply(Pop3Response.Error(error));
        else
        {
            if (handlers.TryGet(command.Keyword, out _)) label = command.Keyword;
            await DispatchAsync(session, command, ct);
        }
        if (session.Errors > errors) Mail.Grains.Interfaces.Diagnostics.MailTelemetry.CommandError("pop3", label);
        if (session.Errors >= session.Options.MaxErrorsPerSession && !session.Closing)
        {
            session.Reply(Pop3Responses.TooManyErrors);
            session.Closing = true;
        }
    }

    /// <inheritdoc />
    protected override async Task CloseAsync(Pop3Session session)
    {
        if (session.Maildrop is not { } maildrop) return;
        session.Maildrop = null;
        try
        {
            await maildrop.ReleaseAsync();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Session {Session}: could not release the maildrop lock; it lapses with its lease", session.Id);
        }
    }

    private async Task DispatchAsync(Pop3Session session, Pop3Command command, CancellationToken ct)
    {
        // RFC 1939 §7: PASS is valid only immediately after USER.
        if (command.Keyword != "PASS") session.PendingUser = null;
        if (!handlers.TryGet(command.Keyword, out var handler))
        {
            session.Reply(Pop3Responses.UnknownCommand);
            return;
        }
        if ((handler.ValidIn & session.State) == 0)
        {
            session.Reply(Pop3Responses.WrongState(command.Keyword, session.State));
            return;
        }
        try
        {
            if (session.Account is { } account && !await session.Credentials.IsCurrentAsync(account))
            {
                // A suspension or password change ends open sessions; closing without QUIT applies no deletions.
                session.Reply(Pop3Response.Error("session revoked", Pop3ResponseCodes.Auth));
                session.Closing = true;
                return;
            }
            if (session.Maildrop is { } maildrop && !await maildrop.RenewAsync())
            {
                // Another session holds the lock now, so this one must not apply its deletions.
                session.Maildrop = null;
                session.Reply(Pop3Response.Error("maildrop lock lost", Pop3ResponseCodes.InUse));
                session.Closing = true;
                return;
            }
            await handler.HandleAsync(session, command, ct);
        }
        catch (Exception e) when (!IsDisconnect(e))
        {
            logger.LogError(e, "Session {Session}: {Command} failed", session.Id, command.Keyword);
            session.Reply(Pop3Responses.TryAgain);
        }
    }
}
