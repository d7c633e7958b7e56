namespace Mail.Grains.Interfaces.Reputation;

/// <summary>
/// A tenant's sending standing (keyed by tenant id): ok; throttled and flagged for review when its bounce or complaint
/// rate passes the review thresholds; paused past the pause thresholds until an operator lifts it; suspended for a
/// while by an automation rule. Every dispatch of the tenant's mail is admitted here first.
/// </summary>
[Alias("mail.ITenantReputationGrain")]
public interface ITenantReputationGrain : IGrainWithStringKey
{
    /// <summary>How many of <paramref name="messages"/> may go now; for the rest, when to ask again and why.</summary>
    Task<TenantAdmission> AdmitAsync(int messages);

    /// <summary>The standing now.</summary>
    Task<TenantReputationView> GetAsync();

    /// <summary>An operator lifts a throttle, pause or suspension; the tenant's held mail is due at once.</summary>
    Task<TenantReputationView> LiftAsync(string? note);

    /// <summary>Checks the rates of the threshold window against the thresholds (called as counters are written).</summary>
    Task EvaluateAsync();

    /// <summary>Counts replies that matched tenant automation rules and suspends the tenant once one reaches its threshold.</summary>
    Task ReportAsync(IReadOnlyList<ReplyMatch> matches);
}

/// <summary>The part of a tenant's messages admitted now; for the rest, when to ask again, how far apart, and why.</summary>
[GenerateSerializer, Immutable, Alias("mail.TenantAdmission")]
public sealed record TenantAdmission(
    [property: Id(0)] int Granted,
    [property: Id(1)] DateTimeOffset? RetryAt,
    [property: Id(2)] TimeSpan Spacing,
    [property: Id(3)] string? HoldReason);

/// <summary>
/// A tenant's standing: <see cref="State"/> is <c>ok</c>, <c>throttled</c> (held to <see cref="Rate"/>),
/// <c>paused</c> or <c>suspended</c> (until <see cref="Until"/>); <see cref="Review"/> flags it for an operator;
/// <see cref="Reason"/> says why. <see cref="LiftedAt"/>: an operator's last lift (the thresholds leave the tenant alone
/// for a grace period after it).
/// </summary>
[GenerateSerializer, Immutable, Alias("mail.TenantReputationView")]
public sealed record TenantReputationView(
    [property: Id(0)] string Tenant,
    [property: Id(1)] string State,
    [property: Id(2)] bool Review,
    [property: Id(3)] string? Reason,
    [property: Id(4)] DateTimeOffset? Since,
    [property: Id(5)] DateTimeOffset? Until,
    [property: Id(6)] DateTimeOffset? LiftedAt,
    [property: Id(7)] string? Rate);
