namespace Mail.Grains.Interfaces.Reputation;

/// <summary>Reads for operators across pools and tenants (a stateless worker over the reputation tables and configuration).</summary>
[Alias("mail.IReputationOverviewGrain")]
public interface IReputationOverviewGrain : IGrainWithIntegerKey
{
    /// <summary>The configured pools, the assignment rules in order and the provider table.</summary>
    Task<ReputationSetup> GetSetupAsync();

    /// <summary>The pool that holds <paramref name="ip"/>; null when no pool does.</summary>
    Task<string?> FindPoolAsync(string ip);

    /// <summary>
    /// Counters of one subject (scope <c>ip</c>, <c>tenant</c> or <c>domain</c>) over the last hour, day and week,
    /// in total and per provider, and its last <paramref name="hours"/> hourly buckets.
    /// </summary>
    Task<CounterReport> GetCountersAsync(string scope, string subject, int hours);

    /// <summary>Automation, threshold and operator events, newest first.</summary>
    Task<IReadOnlyList<ReputationEventView>> ListEventsAsync(string? ip, string? tenant, long? beforeId, int limit);

    /// <summary>Tenants that sent in the last day, worst bounce rate first (then complaint rate).</summary>
    Task<IReadOnlyList<TenantRank>> RankTenantsAsync(int limit);
}

/// <summary>The reputation configuration: pools with their configured IPs, rules in order, the default pool, providers.</summary>
[GenerateSerializer, Immutable, Alias("mail.ReputationSetup")]
public sealed record ReputationSetup(
    [property: Id(0)] bool Enabled,
    [property: Id(1)] IReadOnlyList<string> Pools,
    [property: Id(2)] IReadOnlyList<PoolRuleView> Rules,
    [property: Id(3)] string? DefaultPool,
    [property: Id(4)] IReadOnlyList<ProviderView> Providers);

/// <summary>An assignment rule: mail matching every condition set goes to <see cref="Pool"/>.</summary>
[GenerateSerializer, Immutable, Alias("mail.PoolRuleView")]
public sealed record PoolRuleView(
    [property: Id(0)] string? SendingDomain,
    [property: Id(1)] string? Tenant,
    [property: Id(2)] string? Class,
    [property: Id(3)] string Pool);

/// <summary>A receiving provider: the MX host suffixes that identify it and its shaping.</summary>
[GenerateSerializer, Immutable, Alias("mail.ProviderView")]
public sealed record ProviderView(
    [property: Id(0)] string Name,
    [property: Id(1)] IReadOnlyList<string> Suffixes,
    [property: Id(2)] int? Connections,
    [property: Id(3)] int? MessagesPerConnection,
    [property: Id(4)] string? MessageRate);

/// <summary>Counters of a subject: the three windows in total and per provider, and hourly buckets oldest first.</summary>
[GenerateSerializer, Immutable, Alias("mail.CounterReport")]
public sealed record CounterReport(
    [property: Id(0)] string Scope,
    [property: Id(1)] string Subject,
    [property: Id(2)] CounterWindows Total,
    [property: Id(3)] IReadOnlyDictionary<string, CounterWindows> Providers,
    [property: Id(4)] IReadOnlyList<CounterBucket> Hourly);

/// <summary>Counts over the last hour, 24 hours and 7 days.</summary>
[GenerateSerializer, Immutable, Alias("mail.CounterWindows")]
public sealed record CounterWindows(
    [property: Id(0)] Counts LastHour,
    [property: Id(1)] Counts LastDay,
    [property: Id(2)] Counts LastWeek);

/// <summary>
/// Counts of one window or hour, with the rates derived from them: bounce rate = bounces / (delivered + bounces),
/// complaint rate = complaints / delivered, deferral rate = deferred / sent, delivery rate = delivered / sent (0 when the
/// divisor is 0).
/// </summary>
[GenerateSerializer, Immutable, Alias("mail.Counts")]
public sealed record Counts(
    [property: Id(0)] long Sent,
    [property: Id(1)] long Delivered,
    [property: Id(2)] long Deferred,
    [property: Id(3)] long HardBounces,
    [property: Id(4)] long SoftBounces,
    [property: Id(5)] long Complaints)
{
    /// <summary>Hard and soft bounces.</summary>
    public long Bounces => HardBounces + SoftBounces;

    /// <summary>Bounces among final outcomes.</summary>
    public double BounceRate => Delivered + Bounces == 0 ? 0 : (double)Bounces / (Delivered + Bounces);

    /// <summary>Complaints per delivered message.</summary>
    public double ComplaintRate => Delivered == 0 ? 0 : (double)Complaints / Delivered;

    /// <summary>Deferrals per attempt.</summary>
    public double DeferralRate => Sent == 0 ? 0 : (double)Deferred / Sent;

    /// <summary>Deliveries per attempt.</summary>
    public double DeliveryRate => Sent == 0 ? 0 : (double)Delivered / Sent;

    /// <summary>All zero.</summary>
    public static Counts Zero { get; } = new(0, 0, 0, 0, 0, 0);
}

/// <summary>One hour's counts (the hour's start, UTC).</summary>
[GenerateSerializer, Immutable, Alias("mail.CounterBucket")]
public sealed record CounterBucket(
    [property: Id(0)] DateTimeOffset Hour,
    [property: Id(1)] Counts Counts);

/// <summary>A tenant's last day, for ranking.</summary>
[GenerateSerializer, Immutable, Alias("mail.TenantRank")]
public sealed record TenantRank(
    [property: Id(0)] string Tenant,
    [property: Id(1)] Counts LastDay);

/// <summary>
/// Something automation, a threshold or an operator did (<see cref="Source"/>): the <see cref="Action"/> (throttle,
/// suspend, suspend-tenant, pause, resume, move, schedule, lift, review, rewarm), what it applied to, until when,
/// and the remote reply that caused it.
/// </summary>
[GenerateSerializer, Immutable, Alias("mail.ReputationEventView")]
public sealed record ReputationEventView(
    [property: Id(0)] long Id,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Source,
    [property: Id(3)] string Action,
    [property: Id(4)] string? Pool,
    [property: Id(5)] string? Ip,
    [property: Id(6)] string? Provider,
    [property: Id(7)] string? Tenant,
    [property: Id(8)] string? Rule,
    [property: Id(9)] DateTimeOffset? Until,
    [property: Id(10)] string? Reply,
    [property: Id(11)] string Detail);
