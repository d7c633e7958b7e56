namespace Mail.Grains.Hosting;

/// <summary>
/// The clock mail policy reads: warm-up hours and days, leases, retry schedules, retention, throttles. It is a type of
/// its own rather than the container's <see cref="TimeProvider"/> because Orleans' runtime reads that one for silo
/// generations and membership liveness; a test that moves mail time hours ahead must not move the cluster's view of
/// which silos are alive (it made a test silo declare itself dead).
/// </summary>
public sealed class MailClock(TimeProvider inner) : TimeProvider
{
    /// <summary>The system clock.</summary>
    public static new MailClock System { get; } = new(TimeProvider.System);

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    /// <inheritdoc />
    public override long GetTimestamp() => inner.GetTimestamp();

    /// <inheritdoc />
    public override long TimestampFrequency => inner.TimestampFrequency;

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);
}
