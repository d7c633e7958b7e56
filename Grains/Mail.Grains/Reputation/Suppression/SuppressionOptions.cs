namespace Mail.Grains.Reputation.Suppression;

/// <summary>Settings of the per-tenant suppression lists, bound from "Mail:Reputation:Suppression" (README lists them).</summary>
public sealed class SuppressionOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Mail:Reputation:Suppression";

    /// <summary>How long a hard bounce keeps an address suppressed: a mailbox that did not exist may be created later.</summary>
    public double HardBounceDays { get; set; } = 30;

    /// <summary>
    /// Permanent (5xx) status codes, by prefix, that say nothing about the address and so do not suppress it: a full
    /// mailbox, a message too large, content or policy refusals (RFC 3463 §3.3, §3.4, §3.7, §3.8). Another
    /// message to the same address may well be delivered.
    /// </summary>
    public List<string> NotHardBounceCodes { get; set; } = ["5.2.2", "5.2.3", "5.3.", "5.6.", "5.7."];
}
