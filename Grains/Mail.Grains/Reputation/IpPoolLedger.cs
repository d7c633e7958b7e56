using Mail.Grains.Interfaces.Reputation;

namespace Mail.Grains.Reputation;

/// <summary>
/// The bookkeeping of one pool, without I/O (its grain persists what it returns): which IP has room for which
/// provider, grants and returns, automation matches and the overrides they fire. Warming IPs are offered first, so a
/// new IP gets its day's traffic and only the excess spills to warm IPs; among warm IPs the least used this hour wins.
/// </summary>
public sealed class IpPoolLedger(string pool, ReputationPolicy policy)
{
    private static readonly TimeSpan MinimumWait = TimeSpan.FromSeconds(1);
    private readonly Dictionary<(string Rule, string Ip, string Provider), Queue<DateTimeOffset>> _matches = [];

    /// <summary>The pool's name.</summary>
    public string Pool { get; } = pool;

    /// <summary>The pool's IPs by address.</summary>
    public Dictionary<string, PooledIp> Ips { get; } = new(StringComparer.Ordinal);

    /// <summary>The warm-up schedule in force.</summary>
    public WarmupSchedule Schedule { get; set; } = new(policy.ScheduleOf(pool));

    /// <summary>Whether an operator replaced the configured schedule.</summary>
    public bool ScheduleChanged { get; set; }

    /// <summary>The warm-up day of <paramref name="ip"/>, null when warmed.</summary>
    public int? DayOf(PooledIp ip, DateTimeOffset now)
    {
        if (ip.WarmupStartedAt is not { } start) return null;
        var day = WarmupSchedule.DayOf(start, now);
        return Schedule.IsWarmed(day) ? null : day;
    }

    /// <summary>Today's caps of <paramref name="ip"/> per provider, null when warmed.</summary>
    public (int PerHour, int PerDay)? CapsOf(PooledIp ip, DateTimeOffset now) => DayOf(ip, now) is { } day ? Schedule.CapsOn(day) : null;

    /// <summary>
    /// Grants each request what its provider's room allows across the pool's usable IPs, in request order.
    /// Returns the grants, the usage to add, and IPs whose state changed (a warm-up started again after idleness).
    /// </summary>
    public ReserveResult Reserve(IReadOnlyList<SlotRequest> requests, DateTimeOffset now)
    {
        var grants = new SlotGrant[requests.Count];
        var usage = new Dictionary<(string Ip, string Provider), int>();
        var changed = new List<PooledIp>();
        foreach (var ip in Ips.Values) RewarmIfIdle(ip, now, changed);
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            var remaining = request.Messages;
            var shares = new List<IpShare>();
            while (remaining > 0 && Best(request.Provider, now) is { } ip)
            {
                var slot = ip.SlotFor(request.Provider, now);
                var take = Math.Min(remaining, Room(ip, slot, request.Provider, now));
                if (take <= 0) break;
                if (slot.Bucket is { } bucket) bucket.Take(now, take);
                slot.HourCount += take;
                slot.DayCount += take;
                ip.LastUsedAt = now;
                remaining -= take;
                shares.Add(new IpShare(ip.Address, take));
                usage[(ip.Address, request.Provider)] = usage.GetValueOrDefault((ip.Address, request.Provider)) + take;
            }
            if (remaining == 0)
            {
                grants[i] = new SlotGrant(shares, null, TimeSpan.Zero, null);
                continue;
            }
            var (retry, spacing, reason) = Wait(request.Provider, now);
            grants[i] = new SlotGrant(shares, retry, spacing, reason);
        }
        return new ReserveResult(grants, usage.Select(u => new UsageChange(u.Key.Ip, u.Key.Provider, UtcPeriods.HourOf(now), u.Value)).ToArray(), changed);
    }

    /// <summary>Takes back granted slots that were not used (in the hour they were granted); returns the usage to subtract.</summary>
    public IReadOnlyList<UsageChange> Return(IReadOnlyList<SlotReturn> returns, DateTimeOffset now)
    {
        var changes = new List<UsageChange>();
        foreach (var r in returns)
        {
            if (!Ips.TryGetValue(r.Ip, out var ip) || r.Messages <= 0) continue;
            var slot = ip.SlotFor(r.Provider, now);
            var back = Math.Min(r.Messages, slot.HourCount);
            if (back == 0) continue;
            slot.HourCount -= back;
            slot.DayCount = Math.Max(0, slot.DayCount - back);
            changes.Add(new UsageChange(ip.Address, r.Provider, slot.Hour, -back));
        }
        return changes;
    }

    /// <summary>
    /// Counts rule matches per (rule, IP, provider) within each rule's window; a count reaching the rule's threshold
    /// fires its action (unless an override of the rule is already in force there) and starts the count again.
    /// </summary>
    public IReadOnlyList<FiredRule> Match(IEnumerable<ReplyMatch> matches, DateTimeOffset now)
    {
        var fired = new List<FiredRule>();
        foreach (var match in matches)
        {
            if (match.Ip is null || !Ips.TryGetValue(match.Ip, out var ip) || policy.Replies.Find(match.Rule) is not { } rule) continue;
            if (rule.Action == AutomationActions.SuspendTenant) continue;
            var key = (rule.Name, ip.Address, match.Provider);
            if (!_matches.TryGetValue(key, out var times)) _matches[key] = times = new Queue<DateTimeOffset>();
            times.Enqueue(match.At);
            while (times.Count > 0 && times.Peek() <= now - rule.Window) times.Dequeue();
            if (times.Count < rule.Threshold) continue;
            times.Clear();
            var slot = ip.SlotFor(match.Provider, now);
            if (slot.Active(now).Any(o => o.Rule == rule.Name)) continue;
            var applied = new IpOverride(rule.Action, rule.Rate, now + rule.Duration, rule.Name);
            if (rule.Action == AutomationActions.Throttle) slot.Throttle = applied;
            else slot.Suspension = applied;
            fired.Add(new FiredRule(ip.Address, match.Provider, applied, match));
        }
        return fired;
    }

    /// <summary>The view of one IP now.</summary>
    public IpView View(PooledIp ip, DateTimeOffset now)
    {
        var caps = CapsOf(ip, now);
        var providers = policy.Providers.Names.Select(name =>
        {
            var slot = ip.SlotFor(name, now);
            var overrides = slot.Active(now).Select(o => new OverrideView(o.Kind, o.Rate?.ToString(), o.Until, o.Rule)).ToArray();
            return new IpProviderView(name, slot.HourCount, slot.DayCount, caps?.PerHour, caps?.PerDay, RateOf(slot, name, now)?.ToString(), overrides);
        }).ToArray();
        var state = ip.Paused ? "paused"
            : ip.Unavailable is not null ? "unavailable"
            : providers.Any(p => p.Overrides.Count > 0) ? "throttled"
            : caps is not null ? "warming"
            : "active";
        return new IpView(ip.Address, Pool, state, ip.Paused, ip.PausedReason, DayOf(ip, now), ip.WarmupStartedAt, caps?.PerHour, caps?.PerDay,
            ip.LastUsedAt, ip.Unavailable, providers);
    }

    /// <summary>An IP that sent nothing for the idle period warms up again from day 1 (providers forget an idle IP).</summary>
    private void RewarmIfIdle(PooledIp ip, DateTimeOffset now, List<PooledIp> changed)
    {
        if (ip.LastUsedAt is not { } last || now - last < TimeSpan.FromDays(policy.Options.IdleDaysBeforeRewarm)) return;
        if (ip.WarmupStartedAt is { } start && UtcPeriods.DayOf(start) >= UtcPeriods.DayOf(last)) return;
        ip.WarmupStartedAt = UtcPeriods.DayOf(now);
        foreach (var slot in ip.Providers.Values) slot.Bucket = null;
        changed.Add(ip);
    }

    /// <summary>The IP to grant from next: a warming IP with the most room first, else the warm IP used least this hour.</summary>
    private PooledIp? Best(string provider, DateTimeOffset now)
    {
        PooledIp? best = null;
        var bestWarming = false;
        var bestScore = long.MinValue;
        foreach (var ip in Ips.Values.OrderBy(i => i.Address, StringComparer.Ordinal))
        {
            if (!Usable(ip, provider, now)) continue;
            var slot = ip.SlotFor(provider, now);
            var room = Room(ip, slot, provider, now);
            if (room <= 0) continue;
            var warming = CapsOf(ip, now) is not null;
            long score = warming ? room : -slot.HourCount;
            if (best is null || (warming && !bestWarming) || (warming == bestWarming && score > bestScore))
            {
                best = ip;
                bestWarming = warming;
                bestScore = score;
            }
        }
        return best;
    }

    private static bool Usable(PooledIp ip, string provider, DateTimeOffset now) =>
        !ip.Paused && ip.Unavailable is null && !(ip.SlotFor(provider, now).Suspension is { } s && s.Until > now);

    /// <summary>Messages <paramref name="ip"/> may still take for the provider now: the warm-up caps' room and the rate's tokens.</summary>
    private int Room(PooledIp ip, ProviderSlot slot, string provider, DateTimeOffset now)
    {
        var room = int.MaxValue;
        if (CapsOf(ip, now) is { } caps) room = Math.Min(caps.PerHour - slot.HourCount, caps.PerDay - slot.DayCount);
        if (Bucket(slot, provider, now) is { } bucket) room = Math.Min(room, bucket.Available(now));
        return Math.Max(0, room);
    }

    /// <summary>The rate in force: an automation throttle's, else the provider's configured one.</summary>
    private MessageRate? RateOf(ProviderSlot slot, string provider, DateTimeOffset now) =>
        slot.Throttle is { } t && t.Until > now ? t.Rate : policy.RateOf(provider);

    /// <summary>The slot's bucket for the rate in force, made anew when the rate changed (a throttle began or ended).</summary>
    private TokenBucket? Bucket(ProviderSlot slot, string provider, DateTimeOffset now)
    {
        var rate = RateOf(slot, provider, now);
        if (rate is null)
        {
            slot.Bucket = null;
            return null;
        }
        if (slot.Bucket is null || slot.Bucket.Rate != rate.Value)
        {
            var throttled = slot.Throttle is { } t && t.Until > now;
            slot.Bucket = new TokenBucket(rate.Value, throttled ? 1 : policy.ShapingOf(provider).MessageBurst, now);
        }
        return slot.Bucket;
    }

    /// <summary>When some IP of the pool will have room for the provider again, how far apart to offer more, and why it has none now.</summary>
    private (DateTimeOffset RetryAt, TimeSpan Spacing, string Reason) Wait(string provider, DateTimeOffset now)
    {
        var floor = now + MinimumWait;
        (DateTimeOffset At, TimeSpan Spacing, string Reason)? best = null;
        foreach (var ip in Ips.Values.Where(i => !i.Paused && i.Unavailable is null))
        {
            var slot = ip.SlotFor(provider, now);
            (DateTimeOffset, TimeSpan, string) candidate;
            if (slot.Suspension is { } s && s.Until > now)
            {
                candidate = (s.Until, TimeSpan.Zero, $"{provider} suspended on {ip.Address} by rule {s.Rule}");
            }
            else if (CapsOf(ip, now) is { } caps && slot.DayCount >= caps.PerDay)
            {
                candidate = (slot.Day.AddDays(1), TimeSpan.Zero, $"warm-up daily cap of pool {Pool} for {provider}");
            }
            else if (CapsOf(ip, now) is { } hourly && slot.HourCount >= hourly.PerHour)
            {
                candidate = (slot.Hour.AddHours(1), TimeSpan.Zero, $"warm-up hourly cap of pool {Pool} for {provider}");
            }
            else if (Bucket(slot, provider, now) is { } bucket)
            {
                candidate = (bucket.NextTokenAt(now), bucket.Rate.Interval, $"message rate {bucket.Rate} of {provider} in pool {Pool}");
            }
            else
            {
                continue;
            }
            if (best is null || candidate.Item1 < best.Value.At) best = candidate;
        }
        var (at, spacing, reason) = best ?? (now + TimeSpan.FromSeconds(policy.Options.HoldRecheckSeconds), TimeSpan.Zero,
            Ips.Count == 0 ? $"pool {Pool} has no IPs" : $"every IP of pool {Pool} is paused or unavailable");
        return (at < floor ? floor : at, spacing, reason);
    }
}

/// <summary>What a reservation did: the grants (one per request), the usage to persist, and IPs whose state changed.</summary>
public sealed record ReserveResult(IReadOnlyList<SlotGrant> Grants, IReadOnlyList<UsageChange> Usage, IReadOnlyList<PooledIp> Changed);

/// <summary>Messages to add to (or, negative, take from) an IP's count for a provider and hour.</summary>
public sealed record UsageChange(string Ip, string Provider, DateTimeOffset Hour, int Messages);

/// <summary>An automation rule that fired: the override it put on an IP × provider and the match that tipped it.</summary>
public sealed record FiredRule(string Ip, string Provider, IpOverride Override, ReplyMatch Cause);
