namespace Mail.Frontends.Hosting;

/// <summary>
/// How long a session may wait now: <paramref name="Idle"/> for the first octet of its next command, then
/// <paramref name="Command"/> for the whole command to arrive (its literals included), however it trickles in.
/// </summary>
public readonly record struct SessionDeadlines(TimeSpan Idle, TimeSpan Command);
