using Mail.Grains.Interfaces.Outbound;
using Microsoft.Extensions.Options;

namespace Mail.Grains.Outbound;

/// <summary>
/// One destination site's sender (see <see cref="DestinationPump"/>). The grain is the site's single owner in
/// the cluster, so its connection limit holds cluster-wide; it keeps nothing durable: the queue rows are
/// the truth, and a job lost with an activation comes back when its lease lapses.
/// </summary>
public sealed class DestinationGrain(DestinationContext context, IOptions<OutboundOptions> options) : Grain, IDestinationGrain
{
    private DestinationPump _pump = null!;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _pump = new DestinationPump(this.GetPrimaryKeyString(), context);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => _pump.StopAsync();

    /// <inheritdoc />
    public Task<int> EnqueueAsync(IReadOnlyList<OutboundJob> jobs)
    {
        // Idle collection must not take the pump away while it still has work; a lease's length covers it.
        DelayDeactivation(TimeSpan.FromSeconds(options.Value.LeaseSeconds));
        return Task.FromResult(_pump.Offer(jobs));
    }

    /// <inheritdoc />
    public Task<DestinationStatus> GetStatusAsync() => Task.FromResult(_pump.Status());
}
