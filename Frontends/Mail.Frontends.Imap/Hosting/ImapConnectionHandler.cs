using Mail.Frontends.Hosting;
using Mail.Frontends.Imap.Commands;
using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Errors;
using Mail.Storage.Blobs;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mail.Frontends.Imap.Hosting;

/// <summary>
/// The read loop of one IMAP connection on Kestrel: greeting, then command by command to its handler, checking
/// the state, bringing the selected mailbox up to date before each tagged response (RFC 9051 §7.5.2), and
/// enforcing the autologout timer (RFC 9051 §5.4).
/// </summary>
public sealed class ImapConnectionHandler(
    IOptions<ImapOptions> options,
    IGrainFactory grains,
    IBlobStore blobs,
    ImapHandlerSet handlers,
    ServerCertificate certificate,
    CredentialVerifier credentials,
    ILogger<ImapConnectionHandler> logger) : ConnectionHandler
{
    private readonly ConnectionLimiter _limiter = new(options.Value.MaxConnectionsPerIp);

    /// <inheritdoc />
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var settings = options.Value;
        await using var transport = new ConnectionTransport(connection);
        var remote = (connection.RemoteEndPoint as System.Net.IPEndPoint)?.Address ?? System.Net.IPAddress.None;
        var session = new ImapSession(transport, remote, settings, grains, credentials, blobs, certificate.Certificate, logger);
        var ct = connection.ConnectionClosed;
        if (!_limiter.TryEnter(remote))
        {
            // RFC 9051 §7.1.5: BYE as the greeting refuses the connection.
            session.Untagged("BYE [UNAVAILABLE] Too many connections from your address");
            await session.FlushAsync(ct);
            return;
        }
        try
        {
            session.Untagged($"OK [CAPABILITY {session.Capabilities()}] Mail IMAP4rev2 server ready");
            await session.FlushAsync(ct);
            await RunAsync(session, settings, ct);
            await session.FlushAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException or ObjectDisposedException)
        {
            logger.LogDebug("IMAP session {Session} ended: {Reason}", session.Id, e.Message);
        }
        finally
        {
            _limiter.Exit(remote);
        }
    }

    private async Task RunAsync(ImapSession session, ImapOptions settings, CancellationToken ct)
    {
        while (!session.Closing)
        {
            FrameStatus? status;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                timeout.CancelAfter(TimeSpan.FromMinutes(Math.Max(1, settings.IdleTimeoutMinutes)));
                try
                {
                    status = await session.ReadCommandAsync(timeout.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    session.Untagged("BYE Autologout; idle for too long");
                    return;
                }
            }
            switch (status)
            {
                case null:
                    return;
                case FrameStatus.Fatal:
                    session.Untagged("BYE Literal too large");
                    return;
                case FrameStatus.Rejected:
                {
                    var framer = session.Framer;
                    var result = framer.TooBig && session.State != ImapState.NotAuthenticated
                        ? ImapResult.No(framer.Error ?? "Too big", "TOOBIG")
                        : ImapResult.Bad(framer.Error ?? "Command refused");
                    if (framer.Tag is { } tag) session.Tagged(tag, result);
                    else session.Untagged("BAD " + result.Text);
                    break;
                }
                default:
                    await ExecuteAsync(session, ct);
                    break;
            }
            await session.FlushAsync(ct);
        }
    }

    private async Task ExecuteAsync(ImapSession session, CancellationToken ct)
    {
        if (!ImapCommandParser.TryParse(session.Framer.Command, session.Options.MaxNesting, out var command, out var tag, out var error))
        {
            if (tag is not null) session.Tagged(tag, ImapResult.Bad(error ?? "Syntax error"));
            else session.Untagged("BAD " + (error ?? "Syntax error"));
            return;
        }
        if (!handlers.TryGet(command.Name, out var handler))
        {
            session.Tagged(command.Tag, ImapResult.Bad($"Unknown command {command.Name}"));
            return;
        }
        if ((handler.States & session.State) == 0)
        {
            session.Tagged(command.Tag, ImapResult.Bad(session.State switch
            {
                ImapState.NotAuthenticated => "Log in first",
                ImapState.Authenticated when handler.States == ImapState.Selected => "Select a mailbox first",
                _ => $"{command.Name} is not valid in this state",
            }));
            return;
        }
        if (session.Account is { } account && !await session.Credentials.IsCurrentAsync(account))
        {
            // RFC 9051 §7.1.5: BYE, then the server closes; a suspension or password change ends open sessions.
            session.Untagged("BYE [UNAVAILABLE] Session revoked: the account was suspended or its password changed");
            session.Closing = true;
            return;
        }
        ImapResult result;
        try
        {
            result = await handler.HandleAsync(session, command, ct);
            if (ReferenceEquals(result, ImapSession.AlreadyAnswered)) return;
            // RFC 9051 §7.5.2: no EXPUNGE while answering FETCH, STORE or SEARCH (their UID forms may see them).
            var allowExpunge = command.Uid || command.Name is not ("FETCH" or "STORE" or "SEARCH");
            if (!session.Closing) await session.SyncAsync(allowExpunge);
        }
        catch (MailException e)
        {
            result = MailErrors.ToResult(e);
        }
        catch (Exception e) when (e is not OperationCanceledException and not IOException and not ConnectionResetException)
        {
            logger.LogError(e, "IMAP command {Command} failed in session {Session}", command.Name, session.Id);
            result = ImapResult.No("Internal error, try again later", "SERVERBUG");
        }
        session.Tagged(command.Tag, result);
    }
}
