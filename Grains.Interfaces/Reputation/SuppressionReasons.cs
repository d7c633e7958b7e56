namespace Mail.Grains.Interfaces.Reputation;

/// <summary>Why an address is on a tenant's suppression list.</summary>
public static class SuppressionReasons
{
    /// <summary>A permanent failure said the address does not exist (a 5xx reply or an asynchronous bounce); expires.</summary>
    public const string HardBounce = "hard-bounce";

    /// <summary>The recipient reported the tenant's mail as spam (an ARF complaint).</summary>
    public const string Complaint = "complaint";

    /// <summary>The recipient unsubscribed (RFC 8058 one-click or the tenant's own list).</summary>
    public const string Unsubscribe = "unsubscribe";

    /// <summary>Added by the tenant through the API.</summary>
    public const string Manual = "manual";

    /// <summary>Every reason, in the order the API lists them.</summary>
    public static readonly IReadOnlyList<string> All = [HardBounce, Complaint, Unsubscribe, Manual];

    /// <summary>Whether <paramref name="reason"/> is one of <see cref="All"/>.</summary>
    public static bool IsValid(string? reason) => reason is HardBounce or Complaint or Unsubscribe or Manual;
}
