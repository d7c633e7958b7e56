using System.Threading.Channels;
using Mail.Events;
using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// IDLE (RFC 2177, RFC 9051 §6.3.13): follows the account's change feed (the mailbox event stream, with change-log
/// replay behind it), so a change made through any frontend reaches the client as soon as its event does, until the
/// client sends DONE. Where the stream cannot be subscribed to, it polls the grain's MODSEQ instead.
/// </summary>
public sealed class IdleHandler(IClusterClient cluster, IOptions<MailboxChangeFeedOptions> feedOptions, ILogger<IdleHandler> logger) : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["IDLE"];

    /// <inheritdoc />
    public ImapState States => ImapState.LoggedIn;

    /// <inheritdoc />
    public async Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        var changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        // Subscribed before the first sync, so a change made between the two still wakes the session.
        // A shared folder (RFC 4314) changes in its owner's mailbox: that is the stream to follow.
        await using var feed = await StartFeedAsync(session.SelectedMailbox.GetPrimaryKeyString(), changed.Writer);
        await ReportAsync(session, ct);
        session.Continuation("idling");
        await session.FlushAsync(ct);
        var deadline = DateTimeOffset.UtcNow.AddMinutes(session.Options.IdleTimeoutMinutes);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var done = session.ReadLineAsync(stop.Token, flush: false);
        var poll = TimeSpan.FromMilliseconds(Math.Max(50, session.Options.IdlePollMilliseconds));
        while (true)
        {
            var wait = feed is null ? poll : TimeSpan.FromTicks(Math.Max(0, (deadline - DateTimeOffset.UtcNow).Ticks));
            var finished = await Task.WhenAny(done, changed.Reader.WaitToReadAsync(ct).AsTask(), Task.Delay(wait, ct));
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
            changed.Reader.TryRead(out _);
            await ReportAsync(session, ct);
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

    /// <summary>The selected mailbox's changes, and with NOTIFY in force (RFC 5465) the other mailboxes' as well.</summary>
    private static Task ReportAsync(ImapSession session, CancellationToken ct) =>
        session.Notify is { Active: true } notify ? notify.DeliverAsync(inCommand: true, ct) : session.SyncAsync(allowExpunge: true);

    private async Task<MailboxChangeFeed?> StartFeedAsync(string accountId, ChannelWriter<bool> changed)
    {
        try
        {
            return await MailboxChangeFeed.StartAsync(cluster, accountId, null, _ =>
            {
                changed.TryWrite(true);
                return Task.CompletedTask;
            }, feedOptions.Value, logger);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "IDLE of {Account} cannot follow the mailbox event stream; it polls instead.", accountId);
            return null;
        }
    }
}
