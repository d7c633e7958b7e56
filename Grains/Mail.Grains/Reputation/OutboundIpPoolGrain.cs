using Mail.Grains.Hosting;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Reputation;
using Microsoft.Extensions.Logging;

namespace Mail.Grains.Reputation;

/// <summary>
/// One pool of source IPs (see <see cref="IOutboundIpPoolGrain"/>). The <see cref="IpPoolLedger"/> holds the counts and
/// decides; this grain loads it from PostgreSQL on activation (IP rows, today's usage, overrides in force, an operator's
/// schedule) and writes every grant before answering, so a new activation after a crash starts from the same counts.
/// Idle, it deactivates: the rows are the truth; only the automation match counts of the last hour are lost with it.
/// </summary>
public sealed class OutboundIpPoolGrain(
    ReputationPolicy policy,
    IpPoolStore store,
    ReputationEventLog events,
    ReputationQueueStore queue,
    MailClock clock,
    ILogger<OutboundIpPoolGrain> logger) : Grain, IOutboundIpPoolGrain
{
    private IpPoolLedger _ledger = null!;

    private string Pool => _ledger.Pool;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _ledger = new IpPoolLedger(this.GetPrimaryKeyString(), policy);
        if (!policy.IsPool(Pool)) return;
        if (await store.LoadScheduleAsync(Pool) is { } schedule)
        {
            _ledger.Schedule = new WarmupSchedule(schedule);
            _ledger.ScheduleChanged = true;
        }
        await LoadAsync(await store.LoadIpsAsync(Pool, policy.Ips, clock.GetUtcNow()));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SlotGrant>> ReserveAsync(IReadOnlyList<SlotRequest> requests)
    {
        var now = clock.GetUtcNow();
        var result = _ledger.Reserve(requests, now);
        var lastUsed = _ledger.Ips.Values
            .Where(ip => ip.LastUsedAt is { } used && (ip.LastUsedStored is not { } stored || used - stored >= TimeSpan.FromHours(1)))
            .Select(ip => (ip.Address, ip.LastUsedAt!.Value)).ToArray();
        try
        {
            await store.AddUsageAsync(result.Usage, lastUsed);
            foreach (var ip in _ledger.Ips.Values.Where(i => lastUsed.Any(u => u.Address == i.Address))) ip.LastUsedStored = ip.LastUsedAt;
            foreach (var ip in result.Changed)
            {
                await store.SaveIpAsync(ip, Pool, now);
                await events.AddAsync(Event(now, ReputationEventLog.Warmup, "rewarm", ip.Address,
                    $"{ip.Address} sent nothing for {policy.Options.IdleDaysBeforeRewarm} days and starts its warm-up again at day 1"));
                logger.LogWarning("Source IP {Ip} of pool {Pool} was idle and warms up again from day 1", ip.Address, Pool);
            }
        }
        catch
        {
            // The counts in memory are ahead of the rows now; the next activation reads the rows again.
            DeactivateOnIdle();
            throw;
        }
        return result.Grants;
    }

    /// <inheritdoc />
    public async Task ReturnAsync(IReadOnlyList<SlotReturn> returns)
    {
        var changes = _ledger.Return(returns, clock.GetUtcNow());
        await store.AddUsageAsync(changes, []);
    }

    /// <inheritdoc />
    public Task<PoolView> GetAsync()
    {
        var now = clock.GetUtcNow();
        return Task.FromResult(new PoolView(Pool, _ledger.Schedule.Spec, _ledger.ScheduleChanged,
            _ledger.Ips.Values.OrderBy(i => i.Address, StringComparer.Ordinal).Select(i => _ledger.View(i, now)).ToArray()));
    }

    /// <inheritdoc />
    public Task<IpView?> GetIpAsync(string ip) =>
        Task.FromResult(_ledger.Ips.TryGetValue(ReputationPolicy.Normalize(ip), out var found) ? _ledger.View(found, clock.GetUtcNow()) : null);

    /// <inheritdoc />
    public async Task<IpView> PauseIpAsync(string ip, string reason)
    {
        var found = Find(ip);
        var now = clock.GetUtcNow();
        found.Paused = true;
        found.PausedReason = string.IsNullOrWhiteSpace(reason) ? "paused by an operator" : reason.Trim();
        await store.SaveIpAsync(found, Pool, now);
        await events.AddAsync(Event(now, ReputationEventLog.Operator, "pause", found.Address, $"{found.Address} paused: {found.PausedReason}"));
        logger.LogWarning("Source IP {Ip} of pool {Pool} paused: {Reason}", found.Address, Pool, found.PausedReason);
        return _ledger.View(found, now);
    }

    /// <inheritdoc />
    public async Task<IpView> ResumeIpAsync(string ip)
    {
        var found = Find(ip);
        var now = clock.GetUtcNow();
        found.Paused = false;
        found.PausedReason = null;
        foreach (var slot in found.Providers.Values)
        {
            slot.Throttle = null;
            slot.Suspension = null;
            slot.Bucket = null;
        }
        await store.SaveIpAsync(found, Pool, now);
        await store.DeleteOverridesAsync(found.Address);
        await events.AddAsync(Event(now, ReputationEventLog.Operator, "resume", found.Address, $"{found.Address} resumed; automation overrides on it dropped"));
        await queue.ReleaseHeldAsync(Pool, null);
        return _ledger.View(found, now);
    }

    /// <inheritdoc />
    public async Task<IpView> SetWarmupDayAsync(string ip, int? day)
    {
        if (day is < 1 or > 3650) throw new MailException(MailErrorCode.Invalid, "day must be between 1 and 3650 (null: warmed).");
        var found = Find(ip);
        var now = clock.GetUtcNow();
        found.WarmupStartedAt = day is { } d ? UtcPeriods.DayOf(now).AddDays(1 - d) : null;
        await store.SaveIpAsync(found, Pool, now);
        await events.AddAsync(Event(now, ReputationEventLog.Operator, "warmup", found.Address,
            day is { } set ? $"{found.Address} set to warm-up day {set}" : $"{found.Address} set to warmed (no caps)"));
        await queue.ReleaseHeldAsync(Pool, null);
        return _ledger.View(found, now);
    }

    /// <inheritdoc />
    public async Task<PoolView> SetScheduleAsync(WarmupScheduleSpec? schedule)
    {
        RequireConfigured();
        if (schedule is not null && WarmupSchedule.Problem(schedule) is { } problem) throw new MailException(MailErrorCode.Invalid, problem);
        var now = clock.GetUtcNow();
        await store.SaveScheduleAsync(Pool, schedule, now);
        _ledger.Schedule = new WarmupSchedule(schedule ?? policy.ScheduleOf(Pool));
        _ledger.ScheduleChanged = schedule is not null;
        await events.AddAsync(Event(now, ReputationEventLog.Operator, "schedule", null, schedule is null
            ? $"pool {Pool} back on its configured warm-up schedule"
            : $"pool {Pool} warm-up schedule set: {Describe(schedule)}"));
        await queue.ReleaseHeldAsync(Pool, null);
        return await GetAsync();
    }

    /// <inheritdoc />
    public async Task<IpView> MoveIpAsync(string ip, string pool)
    {
        var found = Find(ip);
        var target = pool.Trim().ToLowerInvariant();
        if (!policy.IsPool(target)) throw new MailException(MailErrorCode.NotFound, $"Pool {pool} is not configured.");
        if (target == Pool) return _ledger.View(found, clock.GetUtcNow());
        var now = clock.GetUtcNow();
        await store.SaveIpAsync(found, target, now);
        _ledger.Ips.Remove(found.Address);
        await events.AddAsync(Event(now, ReputationEventLog.Operator, "move", found.Address, $"{found.Address} moved from pool {Pool} to pool {target}"));
        logger.LogWarning("Source IP {Ip} moved from pool {From} to pool {To}", found.Address, Pool, target);
        return await GrainFactory.GetGrain<IOutboundIpPoolGrain>(target).AdoptIpAsync(found.Address);
    }

    /// <inheritdoc />
    public async Task<IpView> AdoptIpAsync(string ip)
    {
        RequireConfigured();
        var address = ReputationPolicy.Normalize(ip);
        if (!_ledger.Ips.ContainsKey(address))
        {
            var rows = await store.LoadIpsAsync(Pool, policy.Ips, clock.GetUtcNow());
            await LoadAsync(rows.Where(r => r.Address == address && !_ledger.Ips.ContainsKey(r.Address)).ToArray());
        }
        var found = Find(address);
        await queue.ReleaseHeldAsync(Pool, null);
        return _ledger.View(found, clock.GetUtcNow());
    }

    /// <inheritdoc />
    public async Task ReportAsync(IReadOnlyList<ReplyMatch> matches)
    {
        var now = clock.GetUtcNow();
        foreach (var fired in _ledger.Match(matches, now))
        {
            await store.SaveOverrideAsync(fired.Ip, fired.Provider, fired.Override);
            var what = fired.Override.Kind == AutomationActions.Throttle ? $"throttled to {fired.Override.Rate}" : "suspended";
            await events.AddAsync(new ReputationEventView(0, now, ReputationEventLog.Automation, fired.Override.Kind, Pool, fired.Ip, fired.Provider,
                fired.Cause.Tenant, fired.Override.Rule, fired.Override.Until, fired.Cause.Reply,
                $"{fired.Ip} × {fired.Provider} {what} until {fired.Override.Until:u} by rule {fired.Override.Rule}"));
            logger.LogWarning("Automation rule {Rule}: {Ip} × {Provider} {What} until {Until}; reply: {Reply}",
                fired.Override.Rule, fired.Ip, fired.Provider, what, fired.Override.Until, fired.Cause.Reply);
        }
    }

    /// <summary>Adds IP rows with their usage since midnight, their overrides in force, and whether this host can bind them.</summary>
    private async Task LoadAsync(IReadOnlyList<PooledIp> ips)
    {
        if (ips.Count == 0) return;
        var now = clock.GetUtcNow();
        var byAddress = ips.ToDictionary(i => i.Address, StringComparer.Ordinal);
        foreach (var usage in await store.LoadUsageAsync(byAddress.Keys, UtcPeriods.DayOf(now)))
        {
            var slot = byAddress[usage.Ip].SlotFor(usage.Provider, now);
            slot.DayCount += usage.Messages;
            if (usage.Hour == slot.Hour) slot.HourCount += usage.Messages;
        }
        foreach (var (ip, provider, applied) in await store.LoadOverridesAsync(byAddress.Keys, now))
        {
            var slot = byAddress[ip].SlotFor(provider, now);
            if (applied.Kind == AutomationActions.Throttle) slot.Throttle = applied;
            else slot.Suspension = applied;
        }
        foreach (var ip in ips)
        {
            ip.Unavailable = SourceAddressCheck.Problem(ip.Address);
            if (ip.Unavailable is { } why) logger.LogError("Source IP {Ip} of pool {Pool} is left out: {Reason}", ip.Address, Pool, why);
            _ledger.Ips[ip.Address] = ip;
        }
    }

    private PooledIp Find(string ip)
    {
        RequireConfigured();
        return _ledger.Ips.TryGetValue(ReputationPolicy.Normalize(ip), out var found)
            ? found
            : throw new MailException(MailErrorCode.NotFound, $"Pool {Pool} holds no IP {ip}.");
    }

    private void RequireConfigured()
    {
        if (!policy.IsPool(Pool)) throw new MailException(MailErrorCode.NotFound, $"Pool {Pool} is not configured.");
    }

    private ReputationEventView Event(DateTimeOffset now, string source, string action, string? ip, string detail) =>
        new(0, now, source, action, Pool, ip, null, null, null, null, null, detail);

    private static string Describe(WarmupScheduleSpec s) => s.Table is { Count: > 0 } table
        ? $"a table of {table.Count} days"
        : $"{s.StartPerHour}/h on day 1, x{s.DailyGrowth} a day, {s.DailyCapHours} h a day, warmed on day {s.FullAfterDays}";
}
