using Mail.Grains.Hosting;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Reputation;
using Orleans.Concurrency;

namespace Mail.Grains.Reputation;

/// <summary>Serves the operators' reads across pools and tenants from configuration and the reputation tables.</summary>
[StatelessWorker]
public sealed class ReputationOverviewGrain(
    ReputationPolicy policy,
    IpPoolStore pools,
    ReputationCounterStore counters,
    ReputationEventLog events,
    MailClock clock) : Grain, IReputationOverviewGrain
{
    /// <inheritdoc />
    public Task<ReputationSetup> GetSetupAsync() => Task.FromResult(new ReputationSetup(policy.Active, policy.PoolNames.ToArray(),
        policy.Rules.Rules.Select(r => new PoolRuleView(r.SendingDomain, r.Tenant, r.Class, r.Pool.ToLowerInvariant())).ToArray(),
        policy.Rules.DefaultPool,
        policy.AllProviders.Select(p => new ProviderView(p.Name, p.Shaping.Suffixes, p.Shaping.Connections, p.Shaping.MessagesPerConnection, p.Shaping.MessageRate)).ToArray()));

    /// <inheritdoc />
    public async Task<string?> FindPoolAsync(string ip)
    {
        var address = ReputationPolicy.Normalize(ip);
        if (!policy.Ips.TryGetValue(address, out var configured)) return null;
        // A row naming a pool that is no longer configured leaves the IP where configuration puts it.
        return await pools.PoolOfAsync(address) is { } pool && policy.IsPool(pool) ? pool : configured.Pool;
    }

    /// <inheritdoc />
    public Task<CounterReport> GetCountersAsync(string scope, string subject, int hours)
    {
        if (!CounterScopes.All.Contains(scope)) throw new MailException(MailErrorCode.Invalid, $"scope must be one of {string.Join(", ", CounterScopes.All)}.");
        return counters.ReportAsync(scope, scope == CounterScopes.Ip ? ReputationPolicy.Normalize(subject) : subject.ToLowerInvariant(),
            Math.Clamp(hours, 1, 168), clock.GetUtcNow());
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ReputationEventView>> ListEventsAsync(string? ip, string? tenant, long? beforeId, int limit) =>
        events.ListAsync(ip is null ? null : ReputationPolicy.Normalize(ip), tenant?.ToLowerInvariant(), beforeId, Math.Clamp(limit, 1, 500));

    /// <inheritdoc />
    public Task<IReadOnlyList<TenantRank>> RankTenantsAsync(int limit) =>
        counters.RankTenantsAsync(UtcPeriods.HourOf(clock.GetUtcNow()).AddHours(-23), Math.Clamp(limit, 1, 500));
}
