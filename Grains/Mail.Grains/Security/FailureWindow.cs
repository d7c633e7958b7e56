namespace Mail.Grains.Security;

/// <summary>
/// Failure times within a sliding window, and a lockout once there are too many. Holds at most the threshold's
/// number of times: reaching it starts the lockout and clears the window.
/// </summary>
public sealed class FailureWindow
{
    private readonly Queue<DateTimeOffset> _failures = new();

    /// <summary>End of the current lockout, if any.</summary>
    public DateTimeOffset LockedUntil { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>Whether the lockout is running at <paramref name="now"/>.</summary>
    public bool IsLocked(DateTimeOffset now) => now < LockedUntil;

    /// <summary>Failures within <paramref name="window"/> before <paramref name="now"/>.</summary>
    public int Count(DateTimeOffset now, TimeSpan window)
    {
        while (_failures.TryPeek(out var oldest) && oldest <= now - window) _failures.Dequeue();
        return _failures.Count;
    }

    /// <summary>Whether nothing is left to remember: no failure in the window and no lockout.</summary>
    public bool IsIdle(DateTimeOffset now, TimeSpan window) => !IsLocked(now) && Count(now, window) == 0;

    /// <summary>Adds a failure; the <paramref name="threshold"/>-th within the window locks for <paramref name="lockout"/>. Answers the count.</summary>
    public int Add(DateTimeOffset now, TimeSpan window, int threshold, TimeSpan lockout)
    {
        var count = Count(now, window) + 1;
        _failures.Enqueue(now);
        if (count < threshold) return count;
        LockedUntil = now + lockout;
        _failures.Clear();
        return count;
    }
}
