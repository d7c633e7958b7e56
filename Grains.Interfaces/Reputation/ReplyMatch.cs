namespace Mail.Grains.Interfaces.Reputation;

/// <summary>A remote reply that matched the automation rule <see cref="Rule"/>, with what it was sent for.</summary>
[GenerateSerializer, Immutable, Alias("mail.ReplyMatch")]
public sealed record ReplyMatch(
    [property: Id(0)] string Rule,
    [property: Id(1)] string? Ip,
    [property: Id(2)] string Provider,
    [property: Id(3)] string? Tenant,
    [property: Id(4)] string Reply,
    [property: Id(5)] DateTimeOffset At);
