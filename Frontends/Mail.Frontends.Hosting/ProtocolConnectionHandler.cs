using System.Net;
using Microsoft.AspNetCore.Connections;
using Mail.Grains.Interfaces.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Mail.Frontends.Hosting;

/// <summary>
/// The one read loop of the mail protocols (SMTP, POP3, IMAP) on Kestrel: admission against the listener's
/// <see cref="ConnectionLimiter"/> (over a limit the protocol's busy reply, then close), the greeting, then command
/// by command under the session's <see cref="SessionDeadlines"/>: the next command must begin within the idle time
/// and arrive in full within the command time, so a client that trickles a byte at a time is cut off like a silent
/// one. A client going away ends the session quietly; cleanup always runs. One instance serves one listener.
/// </summary>
public abstract class ProtocolConnectionHandler<TSession, TCommand>(int maxConnectionsPerAddress, int maxConnections, ILogger logger)
    : ConnectionHandler
    where TSession : IProtocolSession
    where TCommand : struct
{
    private readonly ConnectionLimiter _limiter = new(maxConnectionsPerAddress, maxConnections);

    /// <inheritdoc />
    public sealed override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var remote = (connection.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
        await using var transport = new ConnectionTransport(connection);
        var session = Open(connection, transport, remote);
        var ct = connection.ConnectionClosed;
        var admission = _limiter.TryEnter(remote);
        var protocol = new KeyValuePair<string, object?>("protocol", Protocol);
        MailTelemetry.Sessions.Add(1, protocol, new KeyValuePair<string, object?>("admission", admission.ToString().ToLowerInvariant()));
        if (admission != Admission.Admitted)
        {
            logger.LogInformation("Session {Session} from {Remote} refused: {Admission}", session.Id, remote, admission);
            Refuse(session, admission);
            await FlushQuietlyAsync(session);
            return;
        }
        MailTelemetry.ActiveSessions.Add(1, protocol);
        try
        {
            Greet(session);
            await RunAsync(session, ct);
            await transport.Output.FlushAsync(CancellationToken.None);
        }
        catch (Exception e) when (IsDisconnect(e))
        {
            logger.LogDebug("Session {Session} ended: {Reason}", session.Id, e.Message);
        }
        finally
        {
            await CloseAsync(session);
            _limiter.Exit(remote);
            MailTelemetry.ActiveSessions.Add(-1, protocol);
        }
    }

    /// <summary>Whether an exception means the client or the connection went away, rather than a fault to report.</summary>
    public static bool IsDisconnect(Exception e) =>
        e is OperationCanceledException or IOException or ConnectionResetException or ObjectDisposedException;

    /// <summary>The protocol's name in metrics: the handler's type name without "ConnectionHandler", lower case (smtp, imap, pop3).</summary>
    protected virtual string Protocol => GetType().Name.Replace("ConnectionHandler", "", StringComparison.Ordinal).ToLowerInvariant();

    /// <summary>The protocol's state for a new connection.</summary>
    protected abstract TSession Open(ConnectionContext connection, ConnectionTransport transport, IPAddress remote);

    /// <summary>Queues the protocol's busy reply for a connection over a limit (the connection closes after it).</summary>
    protected abstract void Refuse(TSession session, Admission refusal);

    /// <summary>Queues the greeting.</summary>
    protected abstract void Greet(TSession session);

    /// <summary>The deadlines in force for the next command (shorter before login).</summary>
    protected abstract SessionDeadlines Deadlines(TSession session);

    /// <summary>Reads one command; null at end of input. Cancelled when its deadline passes.</summary>
    protected abstract Task<TCommand?> ReadCommandAsync(TSession session, CancellationToken ct);

    /// <summary>Answers one command (handlers set <see cref="IProtocolSession.Closing"/> to end the session).</summary>
    protected abstract Task ExecuteAsync(TSession session, TCommand command, CancellationToken ct);

    /// <summary>Queues what the protocol says when a deadline passes; the session then closes.</summary>
    protected abstract void TimedOut(TSession session, SessionTimeout timeout);

    /// <summary>Releases what the session holds, however it ended.</summary>
    protected virtual Task CloseAsync(TSession session) => Task.CompletedTask;

    private async Task RunAsync(TSession session, CancellationToken ct)
    {
        while (!session.Closing)
        {
            var deadlines = Deadlines(session);
            TCommand? command;
            using (var timer = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                var phase = SessionTimeout.Idle;
                timer.CancelAfter(deadlines.Idle);
                try
                {
                    if (!await session.Transport.WaitForInputAsync(timer.Token)) return;
                    timer.Token.ThrowIfCancellationRequested();
                    phase = SessionTimeout.Command;
                    timer.CancelAfter(deadlines.Command);
                    command = await ReadCommandAsync(session, timer.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    logger.LogDebug("Session {Session} timed out ({Phase})", session.Id, phase);
                    TimedOut(session, phase);
                    return;
                }
            }
            if (command is not { } next) return;
            await ExecuteAsync(session, next, ct);
        }
    }

    private async Task FlushQuietlyAsync(TSession session)
    {
        try
        {
            await session.Transport.Output.FlushAsync(CancellationToken.None);
        }
        catch (Exception e) when (IsDisconnect(e))
        {
            // The refused client left first; there is nobody to tell.
        }
    }
}
