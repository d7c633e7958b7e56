using System.Net;
using Mail.Frontends.Hosting;
using Mail.Frontends.Smtp.Protocol;
using Mail.Frontends.Smtp.Session;
using Mail.Security;
using Mail.Storage.Blobs;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mail.Frontends.Smtp.Hosting;

/// <summary>
/// One SMTP listener on the shared read loop (<see cref="ProtocolConnectionHandler{TSession, TCommand}"/>): greeting,
/// then line by line to the handler of each verb, with the session limits (commands, errors, revocation) enforced here.
/// MX and submission listeners each have their own instance, so their clients are counted apart.
/// </summary>
public sealed class SmtpConnectionHandler(
    IOptions<SmtpOptions> options,
    IGrainFactory grains,
    IBlobStore blobs,
    SmtpHandlerSet handlers,
    ServerCertificate certificate,
    CredentialVerifier credentials,
    SaslDecoder sasl,
    InboundAuthenticator authenticator,
    ILogger<SmtpConnectionHandler> logger)
    : ProtocolConnectionHandler<SmtpSession, ProtocolLine>(options.Value.MaxConnectionsPerIp, options.Value.MaxConnections, logger)
{
    /// <summary>Key of the connection item that names the listener.</summary>
    public const string ListenerItem = "smtp.listener";

    /// <inheritdoc />
    protected override SmtpSession Open(ConnectionContext connection, ConnectionTransport transport, IPAddress remote)
    {
        var settings = options.Value;
        var listener = connection.Items.TryGetValue(ListenerItem, out var kind) && kind is SmtpListener l ? l : SmtpListener.Mx;
        return new SmtpSession(listener, transport, remote, settings, grains, credentials, blobs, certificate.Certificate, logger)
        {
            Sasl = sasl,
            // Only the MX takes unauthenticated mail from other servers; submission is authenticated (RFC 6409).
            Authenticator = listener == SmtpListener.Mx && settings.InboundAuth.Enabled ? authenticator : null,
        };
    }

    /// <inheritdoc />
    protected override void Refuse(SmtpSession session, Admission refusal) =>
        // RFC 5321 §3.1: a server that cannot serve now answers 421 instead of 220, then closes.
        session.Reply(SmtpReplies.TooMany(session.Options.HostName, refusal == Admission.AddressFull ? "connections from your address" : "connections"));

    /// <inheritdoc />
    protected override void Greet(SmtpSession session) => session.Reply(new SmtpReply(220, null, $"{session.Options.HostName} ESMTP Mail"));

    /// <inheritdoc />
    protected override SessionDeadlines Deadlines(SmtpSession session) => session.Deadlines;

    /// <inheritdoc />
    protected override Task<ProtocolLine?> ReadCommandAsync(SmtpSession session, CancellationToken ct) => session.ReadLineAsync(ct);

    /// <inheritdoc />
    protected override void TimedOut(SmtpSession session, SessionTimeout timeout) => session.Reply(SmtpReplies.Timeout(session.Options.HostName));

    /// <inheritdoc />
    protected override Task CloseAsync(SmtpSession session) => session.ResetTransactionAsync();

    /// <inheritdoc />
    protected override async Task ExecuteAsync(SmtpSession session, ProtocolLine read, CancellationToken ct)
    {
        var settings = session.Options;
        if (++session.Commands > settings.MaxCommandsPerSession)
        {
            session.Reply(SmtpReplies.TooMany(settings.HostName, "commands"));
            session.Closing = true;
            return;
        }
        if (read.Status == LineStatus.TooLong)
        {
            session.Reply(SmtpReplies.LineTooLong);
        }
        else if (session.Account is { } account && !await session.Credentials.IsCurrentAsync(account))
        {
            // A suspension or password change ends an authenticated submission session (RFC 5321 §3.8: 421 and close).
            await session.ResetTransactionAsync();
            session.Reply(new SmtpReply(421, "4.7.0", $"{settings.HostName} Session revoked, closing connection"));
            session.Closing = true;
            return;
        }
        else
        {
            var command = SmtpCommand.Parse(read.Line);
            var errors = session.Errors;
            var known = handlers.TryGet(command.Verb, out var handler);
            if (known) await HandleAsync(session, handler!, command, ct);
            else session.Reply(SmtpReplies.Unrecognized);
            if (session.Errors > errors)
            {
                Mail.Grains.Interfaces.Diagnostics.MailTelemetry.CommandError("smtp", known ? command.Verb.ToUpperInvariant() : "unknown");
            }
        }
        if (session.Errors >= settings.MaxErrorsPerSession && !session.Closing)
        {
            session.Reply(SmtpReplies.TooMany(settings.HostName, "errors"));
            session.Closing = true;
        }
    }

    /// <summary>
    /// Runs one handler; a failure of the cluster or the store (a grain call timing out, say) costs the client
    /// a 451 and its transaction, never the connection without a reply.
    /// </summary>
    private async Task HandleAsync(SmtpSession session, ISmtpCommandHandler handler, SmtpCommand command, CancellationToken ct)
    {
        try
        {
            await handler.HandleAsync(session, command.Argument, ct);
        }
        catch (Exception e) when (!IsDisconnect(e))
        {
            logger.LogError(e, "Session {Session}: {Verb} failed; answering 451", session.Id, command.Verb);
            await session.ResetTransactionAsync();
            session.Reply(SmtpReplies.TryAgain);
        }
    }
}
