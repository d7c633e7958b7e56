namespace Mail.Testing;

/// <summary>
/// A clock that runs with real time from a point a test moves forward: the time it tells is the system's plus an
/// offset, while its timers and delays stay real, so a host can be taken across an hour boundary without waiting.
/// </summary>
public sealed class OffsetClock : TimeProvider
{
    private long _offsetTicks;

    /// <summary>How far ahead of the system clock it is.</summary>
    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;

    /// <summary>Moves the clock forward by <paramref name="by"/> (never back: leases and caps assume time goes on).</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }

    /// <summary>Moves the clock forward to <paramref name="time"/> (no change when it is already past it).</summary>
    public void AdvanceTo(DateTimeOffset time)
    {
        var by = time - GetUtcNow();
        if (by > TimeSpan.Zero) Advance(by);
    }
}
