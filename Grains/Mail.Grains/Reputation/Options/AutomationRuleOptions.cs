namespace Mail.Grains.Reputation.Options;

/// <summary>
/// An automation rule: when <see cref="Threshold"/> remote replies within <see cref="Window"/> match <see cref="Pattern"/>
/// (for one source IP and provider, or for one tenant), <see cref="Action"/> applies for <see cref="Duration"/>.
/// </summary>
public sealed class AutomationRuleOptions
{
    /// <summary>The rule's name, shown in events.</summary>
    public string Name { get; set; } = "";

    /// <summary>A .NET regular expression matched against the reply text, case-insensitively and in linear time.</summary>
    public string Pattern { get; set; } = "";

    /// <summary>Only replies from this provider; null: any.</summary>
    public string? Provider { get; set; }

    /// <summary>Matching replies within <see cref="Window"/> that fire the action.</summary>
    public int Threshold { get; set; } = 1;

    /// <summary>The window the threshold counts over.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    /// <summary><c>throttle</c> (the IP × provider to <see cref="Rate"/>), <c>suspend</c> (the IP × provider) or <c>suspend-tenant</c>.</summary>
    public string Action { get; set; } = "";

    /// <summary>The rate of a throttle, "N/h" and so on.</summary>
    public string? Rate { get; set; }

    /// <summary>How long the action lasts.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromHours(1);
}
