using Mail.Grains.Hosting;
using System.Globalization;
using Mail.Grains.Interfaces.Reputation;
using Microsoft.Extensions.Logging;

namespace Mail.Grains.Reputation;

/// <summary>
/// A tenant's sending standing (see <see cref="ITenantReputationGrain"/>). The standing is a row in PostgreSQL read on
/// activation; the throttle's token bucket and the automation match counts live in memory.
/// Thresholds only ever tighten the standing by themselves (ok → throttled and flagged → paused); loosening it is an
/// operator's lift, after which the thresholds leave the tenant alone for a grace period so the same window's
/// bounces do not pause it again at once.
/// </summary>
public sealed class TenantReputationGrain(
    ReputationPolicy policy,
    TenantReputationStore store,
    ReputationCounterStore counters,
    ReputationEventLog events,
    ReputationQueueStore queue,
    MailClock clock,
    ILogger<TenantReputationGrain> logger) : Grain, ITenantReputationGrain
{
    private readonly Dictionary<string, Queue<DateTimeOffset>> _matches = new(StringComparer.Ordinal);
    private TenantStanding _standing = TenantStanding.Fresh;
    private TokenBucket? _bucket;

    private string Tenant => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _standing = await store.LoadAsync(Tenant) ?? TenantStanding.Fresh;

    /// <inheritdoc />
    public async Task<TenantAdmission> AdmitAsync(int messages)
    {
        var now = clock.GetUtcNow();
        await ExpireAsync(now);
        switch (_standing.State)
        {
            case TenantStanding.Paused:
                return new TenantAdmission(0, now + TimeSpan.FromSeconds(policy.Options.HoldRecheckSeconds), TimeSpan.Zero, $"tenant {Tenant} paused: {_standing.Reason}");
            case TenantStanding.Suspended:
                return new TenantAdmission(0, _standing.Until, TimeSpan.Zero, $"tenant {Tenant} suspended: {_standing.Reason}");
            case TenantStanding.Throttled:
                var bucket = _bucket ??= new TokenBucket(policy.TenantReviewRate, 1, now);
                var granted = bucket.Take(now, messages);
                return granted == messages
                    ? new TenantAdmission(granted, null, TimeSpan.Zero, null)
                    : new TenantAdmission(granted, bucket.NextTokenAt(now), bucket.Rate.Interval, $"tenant {Tenant} throttled to {bucket.Rate}: {_standing.Reason}");
            default:
                return new TenantAdmission(messages, null, TimeSpan.Zero, null);
        }
    }

    /// <inheritdoc />
    public async Task<TenantReputationView> GetAsync()
    {
        await ExpireAsync(clock.GetUtcNow());
        return View();
    }

    /// <inheritdoc />
    public async Task<TenantReputationView> LiftAsync(string? note)
    {
        var now = clock.GetUtcNow();
        var was = _standing;
        await SaveAsync(TenantStanding.Fresh with { LiftedAt = now }, now);
        var detail = $"tenant {Tenant} lifted from {was.State}{(was.Review ? " (flagged for review)" : "")}" + (string.IsNullOrWhiteSpace(note) ? "" : $": {note.Trim()}");
        await events.AddAsync(Event(now, ReputationEventLog.Operator, "lift", null, null, null, detail));
        logger.LogWarning("Tenant {Tenant} lifted from {State}", Tenant, was.State);
        await queue.ReleaseHeldAsync(null, Tenant);
        return View();
    }

    /// <inheritdoc />
    public async Task EvaluateAsync()
    {
        var now = clock.GetUtcNow();
        var t = policy.Options.Thresholds;
        if (_standing.State == TenantStanding.Paused) return;
        if (_standing.LiftedAt is { } lifted && now - lifted < TimeSpan.FromHours(t.LiftGraceHours)) return;
        var window = await counters.SumAsync(CounterScopes.Tenant, Tenant, UtcPeriods.HourOf(now).AddHours(1 - t.WindowHours));
        if (window.Delivered + window.Bounces < t.MinimumMessages) return;
        string Rates() => $"bounce rate {Percent(window.BounceRate)}, complaint rate {Percent(window.ComplaintRate)} over {t.WindowHours} h ({window.Delivered + window.Bounces} messages)";
        if (window.BounceRate > t.PauseBounceRate || window.ComplaintRate > t.PauseComplaintRate)
        {
            var reason = $"{Rates()} passed the pause thresholds ({Percent(t.PauseBounceRate)} / {Percent(t.PauseComplaintRate)})";
            await SaveAsync(new TenantStanding(TenantStanding.Paused, reason, now, null, true, _standing.LiftedAt), now);
            await events.AddAsync(Event(now, ReputationEventLog.Threshold, "pause", null, null, null, $"tenant {Tenant} paused: {reason}"));
            logger.LogWarning("Tenant {Tenant} paused: {Reason}", Tenant, reason);
        }
        else if (!_standing.Review && (window.BounceRate > t.ReviewBounceRate || window.ComplaintRate > t.ReviewComplaintRate))
        {
            var reason = $"{Rates()} passed the review thresholds ({Percent(t.ReviewBounceRate)} / {Percent(t.ReviewComplaintRate)})";
            var state = _standing.State == TenantStanding.Suspended ? TenantStanding.Suspended : TenantStanding.Throttled;
            await SaveAsync(_standing with { State = state, Reason = state == TenantStanding.Throttled ? reason : _standing.Reason, Since = _standing.Since ?? now, Review = true }, now);
            await events.AddAsync(Event(now, ReputationEventLog.Threshold, "review", null, null, null,
                $"tenant {Tenant} throttled to {policy.TenantReviewRate} and flagged for review: {reason}"));
            logger.LogWarning("Tenant {Tenant} flagged for review: {Reason}", Tenant, reason);
        }
    }

    /// <inheritdoc />
    public async Task ReportAsync(IReadOnlyList<ReplyMatch> matches)
    {
        var now = clock.GetUtcNow();
        foreach (var match in matches)
        {
            if (policy.Replies.Find(match.Rule) is not { Action: AutomationActions.SuspendTenant } rule) continue;
            if (!_matches.TryGetValue(rule.Name, out var times)) _matches[rule.Name] = times = new Queue<DateTimeOffset>();
            times.Enqueue(match.At);
            while (times.Count > 0 && times.Peek() <= now - rule.Window) times.Dequeue();
            if (times.Count < rule.Threshold) continue;
            times.Clear();
            if (_standing.State == TenantStanding.Paused || (_standing.State == TenantStanding.Suspended && _standing.Until > now)) continue;
            var until = now + rule.Duration;
            var reason = $"rule {rule.Name} matched {rule.Threshold} replies within {rule.Window}";
            await SaveAsync(_standing with { State = TenantStanding.Suspended, Reason = reason, Since = now, Until = until }, now);
            await events.AddAsync(Event(now, ReputationEventLog.Automation, AutomationActions.SuspendTenant, match.Ip, match.Provider, rule.Name,
                $"tenant {Tenant} suspended until {until:u}: {reason}", until, match.Reply));
            logger.LogWarning("Automation rule {Rule}: tenant {Tenant} suspended until {Until}; reply: {Reply}", rule.Name, Tenant, until, match.Reply);
        }
    }

    /// <summary>A suspension that ran out gives way to what the tenant was before it (throttled when flagged, else ok).</summary>
    private async Task ExpireAsync(DateTimeOffset now)
    {
        if (_standing is not { State: TenantStanding.Suspended, Until: { } until } || until > now) return;
        await SaveAsync(_standing.Review
            ? _standing with { State = TenantStanding.Throttled, Until = null }
            : _standing with { State = TenantStanding.Ok, Reason = null, Since = null, Until = null }, now);
    }

    private async Task SaveAsync(TenantStanding standing, DateTimeOffset now)
    {
        await store.SaveAsync(Tenant, standing, now);
        _standing = standing;
        if (standing.State != TenantStanding.Throttled) _bucket = null;
    }

    /// <summary>A rate as a percentage with two decimals ("12.50%"), the same in every culture.</summary>
    private static string Percent(double rate) => (rate * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    private TenantReputationView View() => new(Tenant, _standing.State, _standing.Review, _standing.Reason, _standing.Since, _standing.Until,
        _standing.LiftedAt, _standing.State == TenantStanding.Throttled ? policy.TenantReviewRate.ToString() : null);

    private ReputationEventView Event(DateTimeOffset now, string source, string action, string? ip, string? provider, string? rule, string detail,
        DateTimeOffset? until = null, string? reply = null) =>
        new(0, now, source, action, null, ip, provider, Tenant, rule, until, reply, detail);
}
