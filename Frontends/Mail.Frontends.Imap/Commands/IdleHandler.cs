using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// IDLE (RFC 2177, RFC 9051 §6.3.13): polls the mailbox grain's in-memory MODSEQ every few hundred milliseconds,
/// so a delivery through any frontend reaches the client within a second, until the client sends DONE.
/// </summary>
public sealed class IdleHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["IDLE"];

    /// <inheritdoc />
    public ImapState States => ImapState.LoggedIn;

    /// <inheritdoc />
    public async Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        await session.SyncAsync(allowExpunge: true);
        session.Continuation("idling");
        await session.FlushAsync(ct);
        var deadline = DateTimeOffset.UtcNow.AddMinutes(session.Options.IdleTimeoutMinutes);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var done = session.ReadLineAsync(stop.Token, flush: false);
        var poll = TimeSpan.FromMilliseconds(Math.Max(50, session.Options.IdlePollMilliseconds));
        while (true)
        {
            var finished = await Task.WhenAny(done, Task.Delay(poll, ct));
            if (finished == done)
            {
                var line = await done;
                if (line is null)
                {
                    session.Closing = true;
                    return ImapResult.Bad("Connection closed during IDLE");
                }
                return line.Trim().Equals("DONE", StringComparison.OrdinalIgnoreCase)
                    ? ImapResult.Ok("IDLE terminated")
                    : ImapResult.Bad("Expected DONE");
            }
            ct.ThrowIfCancellationRequested();
            await session.SyncAsync(allowExpunge: true);
            await session.FlushAsync(ct);
            if (DateTimeOffset.UtcNow > deadline)
            {
                session.Untagged("BYE Autologout; idle for too long");
                session.Closing = true;
                await stop.CancelAsync();
                try
                {
                    await done;
                }
                catch (OperationCanceledException)
                {
                    // The pending read is abandoned with the connection.
                }
                return ImapResult.Ok("IDLE terminated");
            }
        }
    }
}
