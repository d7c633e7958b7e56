using Mail.Frontends.Hosting;
using Mail.Frontends.Pop3.Protocol;
using Mail.Frontends.Pop3.Session;
using Mail.Storage.Blobs;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mail.Frontends.Pop3.Hosting;

/// <summary>
/// The read loop of one POP3 connection on Kestrel: greeting, then line by line to the handler of each
/// command if it is valid in the session's state (RFC 1939 §3), with the error budget and the autologout
/// timer enforced here. However the session ends, the maildrop lock is released and nothing is deleted
/// unless QUIT reached the UPDATE state.
/// </summary>
public sealed class Pop3ConnectionHandler(
    IOptions<Pop3Options> options,
    IGrainFactory grains,
    IBlobStore blobs,
    Pop3HandlerSet handlers,
    ServerCertificate certificate,
    CredentialVerifier credentials,
    ILogger<Pop3ConnectionHandler> logger) : ConnectionHandler
{
    private readonly ConnectionLimiter _limiter = new(options.Value.MaxConnectionsPerIp);

    /// <inheritdoc />
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var settings = options.Value;
        await using var transport = new ConnectionTransport(connection);
        var remote = (connection.RemoteEndPoint as System.Net.IPEndPoint)?.Address ?? System.Net.IPAddress.None;
        var session = new Pop3Session(transport, settings, remote, grains, credentials, blobs, certificate.Certificate, logger);
        var ct = connection.ConnectionClosed;
        if (!_limiter.TryEnter(remote))
        {
            session.Reply(Pop3Response.Error("too many connections from your address", Pop3ResponseCodes.SysTemp));
            await session.FlushAsync(ct);
            return;
        }
        try
        {
            session.Reply(Pop3Responses.Greeting);
            await RunAsync(session, settings, ct);
            await session.FlushAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException)
        {
            logger.LogDebug("Session {Session} ended: {Reason}", session.Id, e.Message);
        }
        finally
        {
            await ReleaseAsync(session);
            _limiter.Exit(remote);
        }
    }

    private async Task RunAsync(Pop3Session session, Pop3Options settings, CancellationToken ct)
    {
        while (!session.Closing)
        {
            (LineStatus Status, System.Buffers.ReadOnlySequence<byte> Line)? read;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                timeout.CancelAfter(session.CommandTimeout);
                try
                {
                    read = await session.ReadLineAsync(timeout.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    // RFC 1939 §3: the autologout timer closes the connection with no response and no UPDATE.
                    logger.LogDebug("Session {Session} timed out", session.Id);
                    return;
                }
            }
            if (read is null) return;
            if (read.Value.Status == LineStatus.TooLong) session.Reply(Pop3Responses.LineTooLong);
            else if (!Pop3Command.TryParse(read.Value.Line, out var command, out var error)) session.Reply(Pop3Response.Error(error));
            else await DispatchAsync(session, command, ct);
            if (session.Errors >= settings.MaxErrorsPerSession && !session.Closing)
            {
                session.Reply(Pop3Responses.TooManyErrors);
                return;
            }
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
        catch (Exception e) when (e is not (OperationCanceledException or IOException or ConnectionResetException))
        {
            logger.LogError(e, "Session {Session}: {Command} failed", session.Id, command.Keyword);
            session.Reply(Pop3Responses.TryAgain);
        }
    }

    private async Task ReleaseAsync(Pop3Session session)
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
}
