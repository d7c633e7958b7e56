using Mail.Grains.Interfaces.Delivery;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Mail.Grains.Outbound;

/// <summary>Serves reads of the outbound queue and the operators' retry and cancel.</summary>
[StatelessWorker]
public sealed class OutboundQueueGrain(OutboundQueueStore store, IOptions<OutboundOptions> options) : Grain, IOutboundQueueGrain
{
    /// <inheritdoc />
    public Task<IReadOnlyList<OutboundItem>> ListForSenderAsync(string accountId, int limit) =>
        store.ListForSenderAsync(accountId, Math.Clamp(limit, 1, 1000));

    /// <inheritdoc />
    public Task<IReadOnlyList<OutboundItem>> ListAsync(string? state, string? domain, long? beforeId, int limit) =>
        store.ListAsync(state, domain, beforeId, Math.Clamp(limit, 1, 1000));

    /// <inheritdoc />
    public Task<bool> RetryAsync(long id) => store.RetryAsync(id, TimeSpan.FromHours(options.Value.QueueLifetimeHours));

    /// <inheritdoc />
    public Task<bool> CancelAsync(long id) => store.CancelAsync(id);
}
