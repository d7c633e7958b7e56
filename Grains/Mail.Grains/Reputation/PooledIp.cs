namespace Mail.Grains.Reputation;

/// <summary>One source IP as its pool grain holds it: operator state, warm-up start, and its standing per provider.</summary>
public sealed class PooledIp(string address)
{
    /// <summary>The address (normalized text).</summary>
    public string Address { get; } = address;

    /// <summary>Paused by an operator.</summary>
    public bool Paused { get; set; }

    /// <summary>Why it was paused.</summary>
    public string? PausedReason { get; set; }

    /// <summary>Midnight (UTC) of warm-up day 1; null when warmed.</summary>
    public DateTimeOffset? WarmupStartedAt { get; set; }

    /// <summary>When it last sent.</summary>
    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>The <see cref="LastUsedAt"/> last written to PostgreSQL (it is written at most hourly).</summary>
    public DateTimeOffset? LastUsedStored { get; set; }

    /// <summary>Why this host cannot send from it (the address is on no interface), or null.</summary>
    public string? Unavailable { get; set; }

    /// <summary>Its standing per provider.</summary>
    public Dictionary<string, ProviderSlot> Providers { get; } = new(StringComparer.Ordinal);

    /// <summary>The slot of <paramref name="provider"/>, rolled over to the hour and day of <paramref name="now"/>.</summary>
    public ProviderSlot SlotFor(string provider, DateTimeOffset now)
    {
        if (!Providers.TryGetValue(provider, out var slot)) Providers[provider] = slot = new ProviderSlot();
        slot.Roll(now);
        return slot;
    }
}

/// <summary>An IP's standing with one provider: messages granted this hour and day, its rate bucket, automation overrides.</summary>
public sealed class ProviderSlot
{
    /// <summary>The hour <see cref="HourCount"/> counts.</summary>
    public DateTimeOffset Hour { get; set; }

    /// <summary>Messages granted in <see cref="Hour"/>.</summary>
    public int HourCount { get; set; }

    /// <summary>The day <see cref="DayCount"/> counts.</summary>
    public DateTimeOffset Day { get; set; }

    /// <summary>Messages granted on <see cref="Day"/>.</summary>
    public int DayCount { get; set; }

    /// <summary>The rate limit in force, if any.</summary>
    public TokenBucket? Bucket { get; set; }

    /// <summary>An automation throttle, if any (may have expired).</summary>
    public IpOverride? Throttle { get; set; }

    /// <summary>An automation suspension, if any (may have expired).</summary>
    public IpOverride? Suspension { get; set; }

    /// <summary>Starts new counts when the hour or day changed.</summary>
    public void Roll(DateTimeOffset now)
    {
        var hour = UtcPeriods.HourOf(now);
        if (hour != Hour)
        {
            Hour = hour;
            HourCount = 0;
        }
        var day = UtcPeriods.DayOf(now);
        if (day != Day)
        {
            Day = day;
            DayCount = 0;
        }
    }

    /// <summary>The overrides still in force.</summary>
    public IEnumerable<IpOverride> Active(DateTimeOffset now) => new[] { Throttle, Suspension }.OfType<IpOverride>().Where(o => o.Until > now);
}

/// <summary>An expiring automation override: a throttle to <see cref="Rate"/>, or a suspension.</summary>
public sealed record IpOverride(string Kind, MessageRate? Rate, DateTimeOffset Until, string Rule);

/// <summary>Hours and days in UTC, as caps and counters count them.</summary>
public static class UtcPeriods
{
    /// <summary>The start of the hour of <paramref name="time"/>.</summary>
    public static DateTimeOffset HourOf(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    /// <summary>Midnight (UTC) of the day of <paramref name="time"/>.</summary>
    public static DateTimeOffset DayOf(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero);
    }
}
