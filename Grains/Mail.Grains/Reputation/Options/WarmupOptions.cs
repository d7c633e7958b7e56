namespace Mail.Grains.Reputation.Options;

/// <summary>
/// A warm-up schedule, per receiving provider: day 1 allows <see cref="StartPerHour"/> messages an hour, each later day
/// <see cref="DailyGrowth"/> times as many, a day <see cref="DailyCapHours"/> hours' worth, warmed on day
/// <see cref="FullAfterDays"/>; or a <see cref="Table"/> of days (warmed after its last).
/// </summary>
public sealed class WarmupOptions
{
    /// <summary>Messages per hour on day 1.</summary>
    public int StartPerHour { get; set; } = 20;

    /// <summary>Growth from one day to the next.</summary>
    public double DailyGrowth { get; set; } = 1.4;

    /// <summary>The daily cap in hours of the hourly cap.</summary>
    public int DailyCapHours { get; set; } = 12;

    /// <summary>The day the IP reaches full volume (no caps).</summary>
    public int FullAfterDays { get; set; } = 42;

    /// <summary>Caps per day instead of the formula; empty: the formula.</summary>
    public List<WarmupStepOptions> Table { get; set; } = [];
}

/// <summary>One day of a warm-up table.</summary>
public sealed class WarmupStepOptions
{
    /// <summary>Messages per hour and provider.</summary>
    public int PerHour { get; set; }

    /// <summary>Messages per day and provider.</summary>
    public int PerDay { get; set; }
}
