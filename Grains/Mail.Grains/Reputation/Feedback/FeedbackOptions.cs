namespace Mail.Grains.Reputation.Feedback;

/// <summary>Settings of complaint feedback, bound from "Mail:Reputation" (README lists them).</summary>
public sealed class FeedbackOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Mail:Reputation";

    /// <summary>
    /// The feedback loop address registered with mailbox providers (e.g. fbl@mail.example.com), at a domain hosted
    /// here; empty: none. Reports that arrive at a VERP return path are read too. Same key as
    /// <see cref="Interfaces.Reputation.FeedbackAddress.ConfigurationKey"/>.
    /// </summary>
    public string? FeedbackAddress { get; set; }

    /// <summary>
    /// ARF Feedback-Type values (RFC 5965 §7.3) that count as a complaint and suppress the recipient; others
    /// (not-spam, auth-failure) are logged and dropped.
    /// </summary>
    public List<string> ComplaintTypes { get; set; } = ["abuse", "fraud", "virus", "other"];
}
