namespace Mail.Grains.Outbound;

/// <summary>
/// When a deferred recipient is tried again, as Postfix's queue manager does: the delay doubles with each
/// attempt from the minimal to the maximal backoff time, with ±25% jitter so that recipients deferred
/// together do not all come back in one burst. The last attempt is made when the queue lifetime ends; a
/// deferral after that gives the recipient up (Postfix maximal_queue_lifetime).
/// </summary>
public sealed record RetrySchedule(TimeSpan MinimalBackoff, TimeSpan MaximalBackoff, TimeSpan QueueLifetime)
{
    /// <summary>The schedule the options describe.</summary>
    public static RetrySchedule From(OutboundOptions options) => new(
        TimeSpan.FromSeconds(options.MinimalBackoffSeconds), TimeSpan.FromSeconds(options.MaximalBackoffSeconds),
        TimeSpan.FromHours(options.QueueLifetimeHours));

    /// <summary>
    /// The next attempt after the <paramref name="attempts"/>-th failed one (1 for the first), no later than
    /// <paramref name="expiresAt"/>; null when the lifetime has run out. <paramref name="jitter"/> is a sample in [0, 1).
    /// </summary>
    public DateTimeOffset? NextAttempt(int attempts, DateTimeOffset now, DateTimeOffset expiresAt, double jitter)
    {
        if (now >= expiresAt) return null;
        var doubling = Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        var seconds = Math.Min(MaximalBackoff.TotalSeconds, MinimalBackoff.TotalSeconds * doubling);
        seconds *= 0.75 + jitter * 0.5;
        seconds = Math.Clamp(seconds, MinimalBackoff.TotalSeconds, MaximalBackoff.TotalSeconds);
        var next = now + TimeSpan.FromSeconds(seconds);
        return next < expiresAt ? next : expiresAt;
    }
}
