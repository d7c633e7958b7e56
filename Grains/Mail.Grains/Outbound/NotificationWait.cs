using Npgsql;

namespace Mail.Grains.Outbound;

/// <summary>
/// Waiting on a LISTEN connection for at most a given time. Npgsql takes the timeout in whole milliseconds and
/// reads 0 as "wait forever", so a sleep shorter than a millisecond must round up, never down to 0: rounding down
/// once parked the scheduler until the next NOTIFY, leaving due rows unsent.
/// </summary>
public static class NotificationWait
{
    /// <summary>The timeout Npgsql should get for <paramref name="sleep"/>: whole milliseconds, at least 1.</summary>
    public static int Milliseconds(TimeSpan sleep) => (int)Math.Clamp(Math.Ceiling(sleep.TotalMilliseconds), 1, int.MaxValue);

    /// <summary>Waits for a notification or <paramref name="sleep"/>, whichever comes first; true when one came.</summary>
    public static Task<bool> WaitAsync(NpgsqlConnection listener, TimeSpan sleep, CancellationToken ct) =>
        listener.WaitAsync(Milliseconds(sleep), ct);
}
