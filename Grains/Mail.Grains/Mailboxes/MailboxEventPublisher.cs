using Mail.Grains.Interfaces;
using Mail.Grains.Interfaces.Mailboxes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;

namespace Mail.Grains.Mailboxes;

/// <summary>
/// Publishes one mailbox's events on its stream (<see cref="Names.MailboxEventsNamespace"/>, keyed by account) after
/// its writes commit, one write after another in commit order, without making the write wait. An event is a hint:
/// a publish that fails is logged and dropped, never failing the write (consumers replay the change log after a gap).
/// </summary>
public sealed class MailboxEventPublisher
{
    private readonly IAsyncStream<MailboxEvent>? _stream;
    private readonly ILogger _logger;
    private Task _tail = Task.CompletedTask;

    private MailboxEventPublisher(IAsyncStream<MailboxEvent>? stream, ILogger logger)
    {
        _stream = stream;
        _logger = logger;
    }

    /// <summary>The publisher of a mailbox grain; one that publishes nothing where the host has no stream provider.</summary>
    public static MailboxEventPublisher For(Grain grain, string accountId, IServiceProvider services)
    {
        var logger = services.GetRequiredService<ILogger<MailboxEventPublisher>>();
        IStreamProvider provider;
        try
        {
            provider = grain.GetStreamProvider(Names.StreamProvider);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException)
        {
            logger.LogWarning("No stream provider {Provider}: mailbox events are not published.", Names.StreamProvider);
            return new MailboxEventPublisher(null, logger);
        }
        return new MailboxEventPublisher(provider.GetStream<MailboxEvent>(StreamId.Create(Names.MailboxEventsNamespace, accountId)), logger);
    }

    /// <summary>Queues a committed write's events behind the ones before them; returns at once.</summary>
    public void Publish(IReadOnlyList<MailboxEvent> events)
    {
        if (_stream is null || events.Count == 0) return;
        _tail = PublishAfterAsync(_tail, events);
    }

    /// <summary>Completes when every event queued so far was published or given up (tests; deactivation).</summary>
    public Task Published => _tail;

    private async Task PublishAfterAsync(Task previous, IReadOnlyList<MailboxEvent> events)
    {
        await previous;
        try
        {
            foreach (var e in events) await _stream!.OnNextAsync(e);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Mailbox event up to MODSEQ {Modseq} of {Account} not published; consumers catch up from the change log.",
                events[^1].Modseq, events[^1].AccountId);
        }
    }
}
