namespace Mail.Grains.Reputation;

/// <summary>
/// A token bucket: <see cref="Rate"/> refills it continuously up to <see cref="Capacity"/> tokens, a message takes one.
/// Starts full. Not thread-safe: its grain is its only user.
/// </summary>
public sealed class TokenBucket(MessageRate rate, int capacity, DateTimeOffset now)
{
    private double _tokens = Math.Max(1, capacity);
    private DateTimeOffset _at = now;

    /// <summary>The refill rate.</summary>
    public MessageRate Rate { get; } = rate;

    /// <summary>The most tokens it holds.</summary>
    public int Capacity { get; } = Math.Max(1, capacity);

    /// <summary>Whole tokens available now.</summary>
    public int Available(DateTimeOffset now)
    {
        Refill(now);
        return (int)Math.Floor(_tokens + 1e-9);
    }

    /// <summary>Takes up to <paramref name="wanted"/> tokens; returns how many it took.</summary>
    public int Take(DateTimeOffset now, int wanted)
    {
        var taken = Math.Min(Available(now), wanted);
        _tokens -= taken;
        return taken;
    }

    /// <summary>When the next whole token will be there (now when one is).</summary>
    public DateTimeOffset NextTokenAt(DateTimeOffset now)
    {
        Refill(now);
        if (_tokens >= 1 - 1e-9) return now;
        return now + TimeSpan.FromSeconds((1 - _tokens) / Rate.PerSecond);
    }

    private void Refill(DateTimeOffset now)
    {
        if (now <= _at) return;
        _tokens = Math.Min(Capacity, _tokens + (now - _at).TotalSeconds * Rate.PerSecond);
        _at = now;
    }
}
