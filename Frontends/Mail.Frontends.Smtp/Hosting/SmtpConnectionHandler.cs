using System.Net;
using System.Security.Cryptography.X509Certificates;
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
/// The read loop of one SMTP connection on Kestrel: greeting, then line by line to the handler of
/// each verb, with the session limits (commands, errors, timeouts, connections per IP) enforced here.
/// </summary>
public sealed class SmtpConnectionHandler(
    IOptions<SmtpOptions> options,
    IGrainFactory grains,
    IBlobStore blobs,
    SmtpHandlerSet handlers,
    ServerCertificate certificate,
    CredentialVerifier credentials,
    InboundAuthenticator authenticator,
    ILogger<SmtpConnectionHandler> logger) : ConnectionHandler
{
    // Per listener: MX and submission clients are counted apart.
    private readonly ConnectionLimiter _limiter = new(options.Value.MaxConnectionsPerIp);

    /// <summary>Key of the connection item that names the listener.</summary>
    public const string ListenerItem = "smtp.listener";

    /// <inheritdoc />
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var settings = options.Value;
        var listener = connection.Items.TryGetValue(ListenerItem, out var kind) && kind is SmtpListener l ? l : SmtpListener.Mx;
        var remote = (connection.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
        await using var transport = new ConnectionTransport(connection);
        var session = new SmtpSession(listener, transport, remote, settings, grains, credentials, blobs, certificate.Certificate, logger)
        {
            // Only the MX takes unauthenticated mail from other servers; submission is authenticated (RFC 6409).
            Authenticator = listener == SmtpListener.Mx && settings.InboundAuth.Enabled ? authenticator : null,
        };
        var ct = connection.ConnectionClosed;
        if (!_limiter.TryEnter(remote))
        {
            session.Reply(SmtpReplies.TooMany(settings.HostName, "connections from your address"));
            await session.FlushAsync(ct);
            return;
        }
        try
        {
            session.Reply(new SmtpReply(220, null, $"{settings.HostName} ESMTP Mail"));
            await RunAsync(session, settings, ct);
            await session.FlushAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException)
        {
            logger.LogDebug("Session {Session} ended: {Reason}", session.Id, e.Message);
        }
        finally
        {
            await session.ResetTransactionAsync();
            _limiter.Exit(remote);
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
        catch (Exception e) when (e is not (OperationCanceledException or IOException or ConnectionResetException))
        {
            logger.LogError(e, "Session {Session}: {Verb} failed; answering 451", session.Id, command.Verb);
            await session.ResetTransactionAsync();
            session.Reply(SmtpReplies.TryAgain);
        }
    }

    private async Task RunAsync(SmtpSession session, SmtpOptions settings, CancellationToken ct)
    {
        var commands = 0;
        while (!session.Closing)
        {
            (LineStatus Status, System.Buffers.ReadOnlySequence<byte> Line)? read;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                timeout.CancelAfter(TimeSpan.FromSeconds(settings.CommandTimeoutSeconds));
                try
                {
                    read = await session.ReadLineAsync(timeout.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    session.Reply(SmtpReplies.Timeout(settings.HostName));
                    return;
                }
            }
            if (read is null) return;
            if (++commands > settings.MaxCommandsPerSession)
            {
                session.Reply(SmtpReplies.TooMany(settings.HostName, "commands"));
                return;
            }
            if (read.Value.Status == LineStatus.TooLong)
            {
                session.Reply(SmtpReplies.LineTooLong);
            }
            else if (session.Account is { } account && !await session.Credentials.IsCurrentAsync(account))
            {
                // A suspension or password change ends an authenticated submission session (RFC 5321 §3.8: 421 and close).
                await session.ResetTransactionAsync();
                session.Reply(new SmtpReply(421, "4.7.0", $"{settings.HostName} Session revoked, closing connection"));
                return;
            }
            else
            {
                var command = SmtpCommand.Parse(read.Value.Line);
                if (handlers.TryGet(command.Verb, out var handler)) await HandleAsync(session, handler, command, ct);
                else session.Reply(SmtpReplies.Unrecognized);
            }
            if (session.Errors >= settings.MaxErrorsPerSession && !session.Closing)
            {
                session.Reply(SmtpReplies.TooMany(settings.HostName, "errors"));
                return;
            }
        }
    }
}
