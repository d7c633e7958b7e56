namespace Mail.Grains.Interfaces.Reputation;

/// <summary>
/// The address mailbox providers send complaint reports to (the feedback loop address registered with them):
/// the MX accepts it like a VERP return path and the delivery agent hands what arrives to the feedback handler.
/// </summary>
public static class FeedbackAddress
{
    /// <summary>The configuration key holding it; unset or empty: no feedback loop address.</summary>
    public const string ConfigurationKey = "Mail:Reputation:FeedbackAddress";

    /// <summary>Whether <paramref name="address"/> (normalized) is the configured <paramref name="configured"/> address.</summary>
    public static bool Matches(string? configured, string? address) =>
        !string.IsNullOrWhiteSpace(configured) && address is not null
        && string.Equals(configured.Trim(), address, StringComparison.OrdinalIgnoreCase);
}
