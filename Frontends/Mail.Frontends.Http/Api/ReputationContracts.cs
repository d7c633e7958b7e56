using Mail.Grains.Interfaces.Reputation;

namespace Mail.Frontends.Http.Api;

/// <summary>Answer of GET /v1/admin/pools: whether reputation runs, the assignment rules, the providers and every pool with its IPs.</summary>
public sealed record PoolsView(bool Enabled, string? DefaultPool, IReadOnlyList<PoolRuleView> Rules, IReadOnlyList<ProviderView> Providers, IReadOnlyList<PoolView> Pools);

/// <summary>Answer of GET /v1/admin/ips/{ip}: the IP's status, its counters (per provider and hourly) and its events.</summary>
public sealed record IpDetailView(IpView Status, CounterReport Counters, IReadOnlyList<ReputationEventView> Events);

/// <summary>Answer of GET /v1/admin/tenants/{tenant}/reputation: standing, counters, counters per sending domain, events.</summary>
public sealed record TenantDetailView(TenantReputationView Standing, CounterReport Counters, IReadOnlyList<CounterReport> Domains, IReadOnlyList<ReputationEventView> Events);

/// <summary>One row of GET /v1/admin/reputation/tenants: the tenant's last day and its standing now (so a paused tenant shows as such).</summary>
public sealed record TenantRankView(string Tenant, Counts LastDay, TenantReputationView Standing);

/// <summary>Body of POST /v1/admin/ips/{ip}/pause.</summary>
public sealed record PauseRequest(string? Reason);

/// <summary>Body of POST /v1/admin/ips/{ip}/move.</summary>
public sealed record MoveRequest(string? Pool);

/// <summary>Body of PUT /v1/admin/ips/{ip}/warmup: the warm-up day (1 = first), or null for warmed.</summary>
public sealed record WarmupDayRequest(int? Day);

/// <summary>Body of PUT /v1/admin/pools/{pool}/schedule: what is left out keeps the pool's current value; a table replaces the formula.</summary>
public sealed record ScheduleRequest(int? StartPerHour, double? DailyGrowth, int? DailyCapHours, int? FullAfterDays, IReadOnlyList<WarmupStep>? Table);

/// <summary>Body of POST /v1/admin/tenants/{tenant}/reputation/lift.</summary>
public sealed record LiftRequest(string? Note);
