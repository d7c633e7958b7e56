using Mail.Grains.Interfaces.Delivery;
using Orleans.Concurrency;

namespace Mail.Grains.Outbound;

/// <summary>Serves reads of the outbound queue.</summary>
[StatelessWorker]
public sealed class OutboundQueueGrain(OutboundQueueStore store) : Grain, IOutboundQueueGrain
{
    /// <inheritdoc />
    public Task<IReadOnlyList<OutboundItem>> ListForSenderAsync(string accountId, int limit) =>
        store.ListForSenderAsync(accountId, Math.Clamp(limit, 1, 1000));
}
