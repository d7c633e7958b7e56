namespace Mail.Grains.Reputation;

/// <summary>A tenant's sending standing as stored (see <see cref="Interfaces.Reputation.TenantReputationView"/>).</summary>
public sealed record TenantStanding(string State, string? Reason, DateTimeOffset? Since, DateTimeOffset? Until, bool Review, DateTimeOffset? LiftedAt)
{
    /// <summary>States.</summary>
    public const string Ok = "ok", Throttled = "throttled", Paused = "paused", Suspended = "suspended";

    /// <summary>A tenant nothing was ever held against.</summary>
    public static TenantStanding Fresh { get; } = new(Ok, null, null, null, false, null);
}
