using System.Net;
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
/// One IMAP listener on the shared read loop (<see cref="ProtocolConnectionHandler{TSession, TCommand}"/>): greeting,
/// then command by command to its handler, checking the state and bringing the selected mailbox up to date before each
/// tagged response (RFC 9051 §7.5.2). The loop's deadlines are the autologout timer (RFC 9051 §5.4) and the command timeout.
/// </summary>
public sealed class ImapConnectionHandler(
    IOptions<ImapOptions> options,
    IGrainFactory grains,
    IBlobStore blobs,
    ImapHandlerSet handlers,
    ServerCertificate certificate,
    CredentialVerifier credentials,
    SaslDecoder sasl,
    ILogger<ImapConnectionHandler> logger)
    : ProtocolConnectionHandler<ImapSession, FrameStatus>(options.Value.MaxConnectionsPerIp, options.Value.MaxConnections, logger)
{
    /// <inheritdoc />
    protected override ImapSession Open(ConnectionContext connection, ConnectionTransport transport, IPAddress remote) =>
        new(transport, remote, options.Value, grains, credentials, blobs, certificate.Certificate, logger) { Sasl = sasl };

    /// <inheritdoc />
    protected override void Refuse(ImapSession session, Admission refusal) =>
        // RFC 9051 §7.1.5: BYE as the greeting refuses the connection.
        session.Untagged(refusal == Admission.AddressFull
            ? "BYE [UNAVAILABLE] Too many connections from your address"
            : "BYE [UNAVAILABLE] Too many connections, try again later");

    /// <inheritdoc />
    protected override void Greet(ImapSession session) => session.Untagged($"OK [CAPABILITY {session.Capabilities()}] Mail IMAP4rev2 server ready");

    /// <inheritdoc />
    protected override SessionDeadlines Deadlines(ImapSession session) => session.Deadlines;

    /// <inheritdoc />
    protected override Task<FrameStatus?> ReadCommandAsync(ImapSession session, CancellationToken ct) => session.ReadCommandAsync(ct);

    /// <inheritdoc />
    protected override void TimedOut(ImapSession session, SessionTimeout timeout) =>
        session.Untagged(timeout == SessionTimeout.Idle ? "BYE Autologout; idle for too long" : "BYE Autologout; command not received in time");

    /// <inheritdoc />
    protected override async Task CloseAsync(ImapSession session)
    {
        await session.StopNotifyAsync();
        // A literal streamed for a command that never ran (the client left) is referenced by nothing.
        if (session.Account is not null) await session.DiscardStreamedLiteralsAsync();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(ImapSession session, FrameStatus status, CancellationToken ct)
    {
        // The output turn: a NOTIFY report between commands (RFC 5465) waits for the command's tagged response.
        await session.Turn.WaitAsync(ct);
        try
        {
            await ExecuteInTurnAsync(session, status, ct);
        }
        finally
        {
            session.Turn.Release();
        }
    }

    private async Task ExecuteInTurnAsync(ImapSession session, FrameStatus status, CancellationToken ct)
    {
        switch (status)
        {
            case FrameStatus.Fatal:
                session.Untagged("BYE Literal too large");
                session.Closing = true;
                return;
            case FrameStatus.Rejected:
            {
                var framer = session.Framer;
                var result = framer.TooBig && session.State != ImapState.NotAuthenticated
                    ? ImapResult.No(framer.Error ?? "Too big", "TOOBIG")
                    : ImapResult.Bad(framer.Error ?? "Command refused");
                if (framer.Tag is { } tag) session.Tagged(tag, result, "unknown");
                else session.Untagged("BAD " + result.Text);
                break;
            }
            default:
                await RunCommandAsync(session, ct);
                break;
        }
        // Each command's responses go out at once: IMAP clients often wait for one tagged response before the next command.
        await session.FlushAsync(ct);
    }

    private async Task RunCommandAsync(ImapSession session, CancellationToken ct)
    {
        if (!ImapCommandParser.TryParse(session.Framer.Command, session.Options.MaxNesting, out var command, out var tag, out var error))
        {
            if (tag is not null) session.Tagged(tag, ImapResult.Bad(error ?? "Syntax error"), "unknown");
            else session.Untagged("BAD " + (error ?? "Syntax error"));
            return;
        }
        if (!handlers.TryGet(command.Name, out var handler))
        {
            session.Tagged(command.Tag, ImapResult.Bad($"Unknown command {command.Name}"), "unknown");
            return;
        }
        var label = command.Uid ? "UID " + command.Name : command.Name;
        if ((handler.States & session.State) == 0)
        {
            session.Tagged(command.Tag, ImapResult.Bad(session.State switch
            {
                ImapState.NotAuthenticated => "Log in first",
                ImapState.Authenticated when handler.States == ImapState.Selected => "Select a mailbox first",
                _ => $"{command.Name} is not valid in this state",
            }), label);
            return;
        }
        if (session.Account is { } account && !await session.Credentials.IsCurrentAsync(account))
        {
            // RFC 9051 §7.1.5: BYE, then the server closes; a suspension or password change ends open sessions.
            session.Untagged("BYE [UNAVAILABLE] Session revoked: the account was suspended or its password changed");
            session.Closing = true;
            return;
        }
        if (session.UidOnly && UidOnlyRule.Refuses(command))
        {
            session.Tagged(command.Tag, ImapResult.Bad("Message sequence numbers are not allowed once UIDONLY is enabled", "UIDREQUIRED"), label);
            return;
        }
        ImapResult result;
        var handled = false;
        try
        {
            session.Progress.Start(command.Tag);
            result = await handler.HandleAsync(session, command, ct);
            if (ReferenceEquals(result, ImapSession.AlreadyAnswered)) return;
            handled = true;
        }
        catch (MailException e)
        {
            result = MailErrors.ToResult(e);
        }
        catch (Exception e) when (!IsDisconnect(e))
        {
            logger.LogError(e, "IMAP command {Command} failed in session {Session}", command.Name, session.Id);
            result = ImapResult.No("Internal error, try again later", "SERVERBUG");
        }
        if (handled && !session.Closing) await SyncAfterAsync(session, command);
        session.Tagged(command.Tag, result, label);
    }

    /// <summary>
    /// Sends what else changed in the selected mailbox before a command's tagged reply. The command's own outcome stands
    /// whatever this does: an APPEND or STORE that committed must not be answered NO because the updates could not be
    /// read (the client would repeat it; seen in the chaos bench when the mailbox's silo died between the two), and the
    /// updates not sent now go with the next command (RFC 9051 §7: a server may send them at any command).
    /// </summary>
    private async Task SyncAfterAsync(ImapSession session, ImapCommand command)
    {
        // RFC 9051 §7.5.2: no EXPUNGE while answering FETCH, STORE or SEARCH (their UID forms may see them); SORT and
        // THREAD answer with sequence numbers as SEARCH does (RFC 5256 §4), so the same holds for them.
        var allowExpunge = command.Uid || command.Name is not ("FETCH" or "STORE" or "SEARCH" or "SORT" or "THREAD");
        try
        {
            await session.SyncAsync(allowExpunge);
        }
        catch (Exception e) when (!IsDisconnect(e))
        {
            logger.LogWarning(e, "IMAP session {Session}: the mailbox updates after {Command} could not be read; they go with the next command", session.Id, command.Name);
        }
    }
}
