namespace Mail.Grains.Interfaces.Reputation;

/// <summary>
/// A warm-up schedule: per provider, day 1 allows <see cref="StartPerHour"/> messages an hour, each further day
/// <see cref="DailyGrowth"/> times the day before, and a day <see cref="DailyCapHours"/> hours' worth; from day
/// <see cref="FullAfterDays"/> the IP is warmed (no caps). A <see cref="Table"/> replaces the formula: one step per day,
/// warmed after its last step.
/// </summary>
[GenerateSerializer, Immutable, Alias("mail.WarmupScheduleSpec")]
public sealed record WarmupScheduleSpec(
    [property: Id(0)] int StartPerHour,
    [property: Id(1)] double DailyGrowth,
    [property: Id(2)] int DailyCapHours,
    [property: Id(3)] int FullAfterDays,
    [property: Id(4)] IReadOnlyList<WarmupStep>? Table = null);

/// <summary>One day of a warm-up table: the caps per provider per hour and per day.</summary>
[GenerateSerializer, Immutable, Alias("mail.WarmupStep")]
public sealed record WarmupStep(
    [property: Id(0)] int PerHour,
    [property: Id(1)] int PerDay);
