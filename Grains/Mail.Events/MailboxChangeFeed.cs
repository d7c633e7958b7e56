using Mail.Grains.Interfaces;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans;
using Orleans.Runtime;
using Orleans.Streams;

namespace Mail.Events;

/// <summary>
/// One consumer's view of an account's mailbox changes, complete and in order: the events of the account's stream
/// (<see cref="Names.MailboxEventsNamespace"/>) while they follow on from each other, and the change log
/// (<see cref="IMailboxGrain.GetChangesAsync"/>) wherever they do not. It replays the log when an event's
/// <see cref="MailboxEvent.PreviousModseq"/> is not the feed's position (a lost or reordered event), when an event lists
/// no messages (a write too large to list), on start from a given MODSEQ, and when its fallback timer finds the mailbox
/// ahead with no event received (then it also subscribes again). Past the log's horizon it reports
/// <see cref="MailboxFeedUpdate.Reload"/>. Updates reach the consumer one at a time; a consumer that throws gets the same
/// changes again later (replayed), so it must apply them idempotently.
/// </summary>
public sealed class MailboxChangeFeed : IAsyncDisposable
{
    private readonly IClusterClient _client;
    private readonly string _accountId;
    private readonly Func<MailboxFeedUpdate, Task> _consumer;
    private readonly MailboxChangeFeedOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private StreamSubscriptionHandle<MailboxEvent>? _subscription;
    private Task _fallback = Task.CompletedTask;
    private long _position;
    private long _eventsReceived;

    private MailboxChangeFeed(IClusterClient client, string accountId, Func<MailboxFeedUpdate, Task> consumer, MailboxChangeFeedOptions options, ILogger logger)
    {
        _client = client;
        _accountId = accountId;
        _consumer = consumer;
        _options = options;
        _logger = logger;
    }

    /// <summary>The MODSEQ up to which the consumer has every change.</summary>
    public long Position => Interlocked.Read(ref _position);

    /// <summary>
    /// Subscribes to <paramref name="accountId"/>'s events and starts the feed. With <paramref name="sinceModseq"/> the
    /// consumer first gets the changes after it (or a reload past the horizon); without, the feed starts at the mailbox's
    /// current MODSEQ and reports only what happens from now on.
    /// </summary>
    public static async Task<MailboxChangeFeed> StartAsync(IClusterClient client, string accountId, long? sinceModseq,
        Func<MailboxFeedUpdate, Task> consumer, MailboxChangeFeedOptions? options = null, ILogger? logger = null)
    {
        var feed = new MailboxChangeFeed(client, accountId, consumer, options ?? new MailboxChangeFeedOptions(), logger ?? NullLogger.Instance);
        // Subscribed before the position is read, so an event of a write after that read is never missed; events that
        // arrive meanwhile wait for their turn until the position is known.
        await feed._turn.WaitAsync();
        try
        {
            await feed.SubscribeAsync();
            if (sinceModseq is { } since)
            {
                feed._position = since;
                await feed.ReplayAsync();
            }
            else
            {
                feed._position = await feed.Mailbox.GetHighestModseqAsync();
            }
        }
        catch
        {
            feed._turn.Release();
            await feed.DisposeAsync();
            throw;
        }
        feed._turn.Release();
        feed._fallback = feed.FallbackLoopAsync();
        return feed;
    }

    /// <summary>Replays the change log from the feed's position now (a client asking to resynchronize).</summary>
    public Task CatchUpAsync() => InTurnAsync(ReplayAsync);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        await _stop.CancelAsync();
        try
        {
            await _fallback;
        }
        catch (OperationCanceledException)
        {
        }
        await UnsubscribeAsync();
        _stop.Dispose();
    }

    private IMailboxGrain Mailbox => _client.GetGrain<IMailboxGrain>(_accountId);

    private async Task SubscribeAsync()
    {
        var stream = _client.GetStreamProvider(Names.StreamProvider)
            .GetStream<MailboxEvent>(StreamId.Create(Names.MailboxEventsNamespace, _accountId));
        _subscription = await stream.SubscribeAsync((e, _) => InTurnAsync(() => OnEventAsync(e)));
    }

    private async Task UnsubscribeAsync()
    {
        var subscription = Interlocked.Exchange(ref _subscription, null);
        if (subscription is null) return;
        try
        {
            await subscription.UnsubscribeAsync();
        }
        catch (Exception e)
        {
            // The rendezvous forgets a subscriber whose deliveries fail, so a lost unsubscribe costs nothing lasting.
            _logger.LogDebug(e, "Unsubscribing from the mailbox events of {Account} failed.", _accountId);
        }
    }

    private async Task OnEventAsync(MailboxEvent e)
    {
        Interlocked.Increment(ref _eventsReceived);
        var position = Position;
        if (e.Modseq == 0 && e.PreviousModseq > 0)
        {
            // The mailbox was purged: its log starts again from nothing.
            await DeliverAsync(new MailboxFeedUpdate([], Reload: true, 0));
            return;
        }
        if (e.Kind == MailboxEventKind.QuotaChanged && e.Modseq == e.PreviousModseq && e.Modseq == position)
        {
            await DeliverAsync(new MailboxFeedUpdate([e], Reload: false, position));
            return;
        }
        if (e.Modseq <= position) return;
        var listsItsMessages = e.Kind is not (MailboxEventKind.Added or MailboxEventKind.FlagsChanged or MailboxEventKind.Expunged) || e.MessageIds.Count > 0;
        if (e.PreviousModseq == position && listsItsMessages)
        {
            await DeliverAsync(new MailboxFeedUpdate([e], Reload: false, e.Modseq));
            return;
        }
        await ReplayAsync();
    }

    private async Task ReplayAsync()
    {
        var folders = (await Mailbox.ListFoldersAsync()).ToDictionary(f => f.FolderId, f => f.Name);
        while (true)
        {
            var position = Position;
            IReadOnlyList<MailboxChange> changes;
            try
            {
                changes = await Mailbox.GetChangesAsync(position, _options.ReplayPageSize);
            }
            catch (MailException e) when (e.Code == MailErrorCode.HistoryPruned)
            {
                // Read after the refusal: everything up to it is in what the consumer reloads.
                var highest = await Mailbox.GetHighestModseqAsync();
                await DeliverAsync(new MailboxFeedUpdate([], Reload: true, highest));
                return;
            }
            if (changes.Count == 0) return;
            var events = MailboxLogEvents.From(_accountId, position, changes, folders);
            if (!await DeliverAsync(new MailboxFeedUpdate(events, Reload: false, changes[^1].Modseq) { Replayed = true })) return;
            if (changes.Count < _options.ReplayPageSize) return;
        }
    }

    /// <summary>Hands an update to the consumer and moves the position past it; false (position kept) if the consumer failed.</summary>
    private async Task<bool> DeliverAsync(MailboxFeedUpdate update)
    {
        try
        {
            await _consumer(update);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "The consumer of {Account}'s mailbox feed failed at MODSEQ {Modseq}; it gets the changes again on the next replay.",
                _accountId, update.Modseq);
            return false;
        }
        Interlocked.Exchange(ref _position, update.Modseq);
        return true;
    }

    private async Task FallbackLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, _options.FallbackSeconds)));
        var received = Interlocked.Read(ref _eventsReceived);
        while (await timer.WaitForNextTickAsync(_stop.Token))
        {
            try
            {
                var highest = await Mailbox.GetHighestModseqAsync();
                var quiet = Interlocked.Read(ref _eventsReceived) == received;
                received = Interlocked.Read(ref _eventsReceived);
                if (highest == Position) continue;
                if (quiet)
                {
                    // Behind with not one event in a whole period: the subscription itself may be gone (its silo restarted).
                    _logger.LogInformation("Mailbox feed of {Account} is behind ({Position} < {Highest}) with no event received: subscribing again.",
                        _accountId, Position, highest);
                    await UnsubscribeAsync();
                    await SubscribeAsync();
                }
                await InTurnAsync(ReplayAsync);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogWarning(e, "Mailbox feed of {Account} could not check for missed changes; it tries again.", _accountId);
            }
        }
    }

    private async Task InTurnAsync(Func<Task> step)
    {
        await _turn.WaitAsync();
        try
        {
            await step();
        }
        finally
        {
            _turn.Release();
        }
    }
}
