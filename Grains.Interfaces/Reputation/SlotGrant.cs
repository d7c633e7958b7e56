namespace Mail.Grains.Interfaces.Reputation;

/// <summary>
/// What a pool granted one request: a share of its messages per source IP, in order. For the rest (none when the
/// shares cover it) <see cref="RetryAt"/> is when to ask again, <see cref="Spacing"/> how far apart further messages
/// should be offered under a rate limit, and <see cref="HoldReason"/> why they wait (shown in the queue listing).
/// </summary>
[GenerateSerializer, Immutable, Alias("mail.SlotGrant")]
public sealed record SlotGrant(
    [property: Id(0)] IReadOnlyList<IpShare> Shares,
    [property: Id(1)] DateTimeOffset? RetryAt,
    [property: Id(2)] TimeSpan Spacing,
    [property: Id(3)] string? HoldReason);

/// <summary>Messages granted on one source IP.</summary>
[GenerateSerializer, Immutable, Alias("mail.IpShare")]
public sealed record IpShare(
    [property: Id(0)] string Ip,
    [property: Id(1)] int Messages);

/// <summary>Granted slots given back unused.</summary>
[GenerateSerializer, Immutable, Alias("mail.SlotReturn")]
public sealed record SlotReturn(
    [property: Id(0)] string Ip,
    [property: Id(1)] string Provider,
    [property: Id(2)] int Messages);
