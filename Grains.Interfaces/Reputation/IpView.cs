namespace Mail.Grains.Interfaces.Reputation;

/// <summary>
/// One source IP: <see cref="State"/> is <c>paused</c> (by an operator), <c>unavailable</c> (the host cannot bind it),
/// <c>throttled</c> (an automation override is on it), <c>warming</c> (on its warm-up schedule) or <c>active</c>;
/// while warming, the day and today's caps per provider; per provider the use of this hour and day and any override.
/// </summary>
[GenerateSerializer, Immutable, Alias("mail.IpView")]
public sealed record IpView(
    [property: Id(0)] string Ip,
    [property: Id(1)] string Pool,
    [property: Id(2)] string State,
    [property: Id(3)] bool Paused,
    [property: Id(4)] string? PausedReason,
    [property: Id(5)] int? WarmupDay,
    [property: Id(6)] DateTimeOffset? WarmupStartedAt,
    [property: Id(7)] int? HourlyCap,
    [property: Id(8)] int? DailyCap,
    [property: Id(9)] DateTimeOffset? LastUsedAt,
    [property: Id(10)] string? Unavailable,
    [property: Id(11)] IReadOnlyList<IpProviderView> Providers);

/// <summary>An IP's standing with one receiving provider now.</summary>
[GenerateSerializer, Immutable, Alias("mail.IpProviderView")]
public sealed record IpProviderView(
    [property: Id(0)] string Provider,
    [property: Id(1)] int SentThisHour,
    [property: Id(2)] int SentToday,
    [property: Id(3)] int? HourlyCap,
    [property: Id(4)] int? DailyCap,
    [property: Id(5)] string? MessageRate,
    [property: Id(6)] IReadOnlyList<OverrideView> Overrides);

/// <summary>An automation override in force: a throttle to <see cref="Rate"/> or a suspension, until <see cref="Until"/>.</summary>
[GenerateSerializer, Immutable, Alias("mail.OverrideView")]
public sealed record OverrideView(
    [property: Id(0)] string Kind,
    [property: Id(1)] string? Rate,
    [property: Id(2)] DateTimeOffset Until,
    [property: Id(3)] string Rule);
