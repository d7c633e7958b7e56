namespace Mail.Grains.Interfaces.Reputation;

/// <summary>A pool as operators see it: its schedule (and whether an operator changed it) and its IPs.</summary>
[GenerateSerializer, Immutable, Alias("mail.PoolView")]
public sealed record PoolView(
    [property: Id(0)] string Name,
    [property: Id(1)] WarmupScheduleSpec Schedule,
    [property: Id(2)] bool ScheduleChanged,
    [property: Id(3)] IReadOnlyList<IpView> Ips);
