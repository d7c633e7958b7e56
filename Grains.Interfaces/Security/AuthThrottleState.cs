namespace Mail.Grains.Interfaces.Security;

/// <summary>Where a (client address, user) pair stands: locked out or not, and its failures in the current window.</summary>
[GenerateSerializer, Immutable, Alias("mail.AuthThrottleState")]
public sealed record AuthThrottleState(
    [property: Id(0)] bool Locked,
    [property: Id(1)] int RecentFailures);
