using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;
using Microsoft.Extensions.Options;

namespace Mail.Grains.Mailboxes;

/// <summary>
/// Group commit within one mailbox (README, Delivery throughput): while a delivery to an account is in flight from this
/// silo, later deliveries to it wait here and then go to its grain together (<see cref="IMailboxGrain.DeliverBatchAsync"/>),
/// which files them in one transaction. A delivery that finds the account idle goes at once, so nothing waits for a
/// timer; each caller still gets its own answer only after its message is committed.
/// </summary>
public sealed class MailboxDeliveryBatcher(IGrainFactory grains, IOptions<GroupCommitOptions> options)
{
    private readonly Dictionary<string, List<Waiting>> _busy = new(StringComparer.Ordinal);

    /// <summary>Files <paramref name="delivery"/> in <paramref name="accountId"/>'s mailbox, alone or with others waiting for it.</summary>
    public async Task<DeliveryResult> DeliverAsync(string accountId, MessageDelivery delivery)
    {
        var mailbox = grains.GetGrain<IMailboxGrain>(accountId);
        if (!options.Value.Enabled || options.Value.MaxMailboxBatch <= 1) return await mailbox.DeliverAsync(delivery);
        Waiting? waiting = null;
        lock (_busy)
        {
            if (_busy.TryGetValue(accountId, out var queue)) queue.Add(waiting = new Waiting(delivery));
            else _busy[accountId] = [];
        }
        if (waiting is not null) return await waiting.Done.Task;
        try
        {
            return await mailbox.DeliverAsync(delivery);
        }
        finally
        {
            // Out of the caller's grain context: the batches it sends answer other callers.
            _ = Task.Run(() => DrainAsync(accountId, mailbox));
        }
    }

    private async Task DrainAsync(string accountId, IMailboxGrain mailbox)
    {
        while (true)
        {
            Waiting[] batch;
            lock (_busy)
            {
                var queue = _busy[accountId];
                if (queue.Count == 0)
                {
                    _busy.Remove(accountId);
                    return;
                }
                batch = queue.Take(options.Value.MaxMailboxBatch).ToArray();
                queue.RemoveRange(0, batch.Length);
            }
            try
            {
                var outcomes = await mailbox.DeliverBatchAsync(batch.Select(w => w.Delivery).ToArray());
                for (var i = 0; i < batch.Length; i++)
                {
                    var outcome = outcomes[i];
                    if (outcome.Error is { } code) batch[i].Done.TrySetException(new MailException(code, outcome.Message ?? code.ToString()));
                    else batch[i].Done.TrySetResult(outcome.Result!);
                }
            }
            catch (Exception e)
            {
                // Whether the batch committed is unknown: every caller gets the error a lone delivery would have given, and
                // its retry is a duplicate, not a second copy (delivery ids).
                foreach (var waiting in batch) waiting.Done.TrySetException(e);
            }
        }
    }

    private sealed record Waiting(MessageDelivery Delivery)
    {
        public TaskCompletionSource<DeliveryResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
