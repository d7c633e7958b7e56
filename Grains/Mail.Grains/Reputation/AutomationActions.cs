namespace Mail.Grains.Reputation;

/// <summary>What an automation rule does once its threshold is reached.</summary>
public static class AutomationActions
{
    /// <summary>Holds the source IP × provider to the rule's rate.</summary>
    public const string Throttle = "throttle";

    /// <summary>Stops the source IP × provider.</summary>
    public const string Suspend = "suspend";

    /// <summary>Stops the sending tenant.</summary>
    public const string SuspendTenant = "suspend-tenant";

    /// <summary>Every action.</summary>
    public static IReadOnlyList<string> All { get; } = [Throttle, Suspend, SuspendTenant];
}
