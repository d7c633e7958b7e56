using Mail.Grains.Interfaces.Reputation;
using Mail.Grains.Reputation.Options;

namespace Mail.Grains.Reputation;

/// <summary>
/// The caps of an IP on each day of its warm-up, per receiving provider (each provider judges an IP on its own).
/// The default follows SendGrid's published automated warm-up: 20 an hour on day 1, about 1.4× a day, full volume
/// after six weeks. Day 1 is the day the warm-up started (UTC).
/// </summary>
public sealed class WarmupSchedule(WarmupScheduleSpec spec)
{
    /// <summary>The schedule's terms.</summary>
    public WarmupScheduleSpec Spec { get; } = spec;

    /// <summary>The spec of configured options.</summary>
    public static WarmupScheduleSpec SpecOf(WarmupOptions options) => new(options.StartPerHour, options.DailyGrowth, options.DailyCapHours,
        options.FullAfterDays, options.Table.Count == 0 ? null : options.Table.Select(s => new WarmupStep(s.PerHour, s.PerDay)).ToArray());

    /// <summary>Why a spec is unusable, or null.</summary>
    public static string? Problem(WarmupScheduleSpec spec)
    {
        if (spec.Table is { Count: > 0 } table)
        {
            return table.Any(s => s.PerHour < 1 || s.PerDay < s.PerHour) ? "every table step needs per_hour >= 1 and per_day >= per_hour" : null;
        }
        if (spec.StartPerHour < 1) return "start_per_hour must be at least 1";
        if (!(spec.DailyGrowth >= 1) || spec.DailyGrowth > 10) return "daily_growth must be between 1 and 10";
        if (spec.DailyCapHours is < 1 or > 24) return "daily_cap_hours must be between 1 and 24";
        if (spec.FullAfterDays is < 1 or > 3650) return "full_after_days must be between 1 and 3650";
        return null;
    }

    /// <summary>The warm-up day of an IP whose day 1 was <paramref name="startedAt"/>: 1 on that day, and so on.</summary>
    public static int DayOf(DateTimeOffset startedAt, DateTimeOffset now) =>
        Math.Max(1, (int)(now.UtcDateTime.Date - startedAt.UtcDateTime.Date).TotalDays + 1);

    /// <summary>Whether an IP on <paramref name="day"/> is past its warm-up.</summary>
    public bool IsWarmed(int day) => Spec.Table is { Count: > 0 } table ? day > table.Count : day >= Spec.FullAfterDays;

    /// <summary>The caps per provider on <paramref name="day"/>; null when the IP is warmed.</summary>
    public (int PerHour, int PerDay)? CapsOn(int day)
    {
        if (IsWarmed(day)) return null;
        if (Spec.Table is { Count: > 0 } table)
        {
            var step = table[Math.Clamp(day, 1, table.Count) - 1];
            return (step.PerHour, step.PerDay);
        }
        var hourly = Math.Min(int.MaxValue / 24, Math.Round(Spec.StartPerHour * Math.Pow(Spec.DailyGrowth, Math.Max(0, day - 1))));
        var perHour = (int)hourly;
        return (perHour, perHour * Spec.DailyCapHours);
    }
}
