using Mail.Grains.Hosting;
using Mail.Grains.Interfaces.Reputation;
using Microsoft.Extensions.Logging;

namespace Mail.Grains.Reputation;

/// <summary>
/// Gathers counts in memory and writes them once per flush interval in one statement (each hour's bucket of each
/// IP × provider, tenant and sending domain), then has each tenant that got counts check its thresholds. Senders never
/// wait on it. A crash loses at most one interval of counts, which only makes the rates a little less exact.
/// Once an hour it deletes buckets past the retention.
/// </summary>
public sealed class ReputationCounters : IReputationEvents, IAsyncDisposable
{
    private readonly ReputationCounterStore _store;
    private readonly IGrainFactory _grains;
    private readonly ReputationPolicy _policy;
    private readonly MailClock _clock;
    private readonly ILogger<ReputationCounters> _logger;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _writer;
    private Dictionary<(string Scope, string Subject, string Provider, DateTimeOffset Hour), long[]> _pending = [];
    private HashSet<string> _tenants = new(StringComparer.Ordinal);
    private DateTimeOffset _pruned;
    private int _disposed;

    /// <summary>Starts the writer when reputation is on.</summary>
    public ReputationCounters(ReputationCounterStore store, IGrainFactory grains, ReputationPolicy policy, MailClock clock, ILogger<ReputationCounters> logger)
    {
        _store = store;
        _grains = grains;
        _policy = policy;
        _clock = clock;
        _logger = logger;
        _writer = policy.Active ? Task.Run(WriteAsync) : Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RecordAsync(ReputationEvent e)
    {
        var one = (long)Math.Max(0, e.Count);
        Add(e.Tenant, e.SendingDomain, e.SourceIp, e.Provider, e.Kind switch
        {
            ReputationEventKind.Complaint => new Counts(0, 0, 0, 0, 0, one),
            ReputationEventKind.HardBounce => new Counts(0, 0, 0, one, 0, 0),
            ReputationEventKind.SoftBounce => new Counts(0, 0, 0, 0, one, 0),
            ReputationEventKind.Sent => new Counts(one, 0, 0, 0, 0, 0),
            ReputationEventKind.Delivered => new Counts(0, one, 0, 0, 0, 0),
            _ => new Counts(0, 0, one, 0, 0, 0),
        });
        return Task.CompletedTask;
    }

    /// <summary>Adds <paramref name="counts"/> to this hour's buckets of the IP × provider, the tenant and the sending domain (those known).</summary>
    public void Add(string? tenant, string? sendingDomain, string? sourceIp, string? provider, Counts counts)
    {
        if (!_policy.Active || counts == Counts.Zero) return;
        var hour = UtcPeriods.HourOf(_clock.GetUtcNow());
        lock (_gate)
        {
            if (sourceIp is not null) Add((CounterScopes.Ip, sourceIp, provider ?? ProviderTable.Other, hour), counts);
            if (tenant is not null)
            {
                Add((CounterScopes.Tenant, tenant.ToLowerInvariant(), "", hour), counts);
                _tenants.Add(tenant.ToLowerInvariant());
            }
            if (sendingDomain is not null) Add((CounterScopes.Domain, sendingDomain.ToLowerInvariant(), "", hour), counts);
        }
    }

    /// <summary>Writes what is gathered now and has the tenants check their thresholds (the writer does this every interval).</summary>
    public Task FlushAsync() => FlushAsync(evaluate: true);

    private async Task FlushAsync(bool evaluate)
    {
        Dictionary<(string Scope, string Subject, string Provider, DateTimeOffset Hour), long[]> pending;
        HashSet<string> tenants;
        lock (_gate)
        {
            if (_pending.Count == 0) return;
            (pending, _pending) = (_pending, []);
            (tenants, _tenants) = (_tenants, new HashSet<string>(StringComparer.Ordinal));
        }
        await _store.AddAsync(pending.Select(p => new CounterDelta(p.Key.Scope, p.Key.Subject, p.Key.Provider, p.Key.Hour,
            new Counts(p.Value[0], p.Value[1], p.Value[2], p.Value[3], p.Value[4], p.Value[5]))).ToArray());
        if (evaluate) await Task.WhenAll(tenants.Select(t => _grains.GetGrain<ITenantReputationGrain>(t).EvaluateAsync()));
    }

    /// <summary>Stops the writer after a last flush. Idempotent: the container disposes it once as itself and once as <see cref="IReputationEvents"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stopping.CancelAsync();
        await _writer;
        _stopping.Dispose();
    }

    private void Add((string, string, string, DateTimeOffset) key, Counts c)
    {
        if (!_pending.TryGetValue(key, out var sums)) _pending[key] = sums = new long[6];
        sums[0] += c.Sent;
        sums[1] += c.Delivered;
        sums[2] += c.Deferred;
        sums[3] += c.HardBounces;
        sums[4] += c.SoftBounces;
        sums[5] += c.Complaints;
    }

    private async Task WriteAsync()
    {
        var interval = TimeSpan.FromMilliseconds(_policy.Options.CounterFlushMilliseconds);
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, _clock, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                // Stopping: fall through to a last flush.
            }
            try
            {
                // The last flush, as the silo stops, only writes: the tenants are checked by whichever silo sends next.
                await FlushAsync(evaluate: !_stopping.IsCancellationRequested);
                await PruneAsync();
            }
            catch (Exception e)
            {
                // The counts of this interval are lost; rates are estimates, and the next interval carries on.
                _logger.LogWarning(e, "Writing reputation counters failed");
            }
        }
    }

    private async Task PruneAsync()
    {
        var now = _clock.GetUtcNow();
        if (now - _pruned < TimeSpan.FromHours(1)) return;
        _pruned = now;
        await _store.PruneAsync(UtcPeriods.HourOf(now).AddDays(-_policy.Options.CounterRetentionDays));
    }
}
