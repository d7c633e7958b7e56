namespace Mail.Grains.Reputation.Feedback;

/// <summary>The kind of feedback a provider sent about a message we delivered.</summary>
public enum FeedbackKind
{
    /// <summary>The recipient reported it as spam (ARF, RFC 5965).</summary>
    Complaint,
    /// <summary>A later hop bounced it after our MX peer had accepted it (a DSN to the VERP return path, RFC 3464).</summary>
    Bounce,
}

/// <summary>
/// A complaint or asynchronous bounce tied to the queue row it is about, so it can count against the right tenant,
/// sending domain, source IP and provider.
/// </summary>
/// <param name="TenantId">The sending tenant (the tenant whose key stores the message: the queue row's blob tenant).</param>
/// <param name="OutboundId">The outbound_queue row.</param>
/// <param name="SubmissionId">The message's submission id.</param>
/// <param name="Recipient">The recipient, lower-cased; it is now suppressed when <paramref name="Suppressed"/>.</param>
/// <param name="SendingDomain">The envelope sender's domain (the VERP return path's).</param>
/// <param name="SourceIp">Our address the message left from: the one its queue row recorded when a pool granted it, else the report's ARF Source-IP; null when neither says.</param>
/// <param name="RemoteMta">The MX host that accepted the message.</param>
/// <param name="Provider">The receiving provider the row was sent to (gmail, microsoft, yahoo, other; see ProviderTable); null when it left outside a pool.</param>
/// <param name="FeedbackType">ARF Feedback-Type of a complaint.</param>
/// <param name="StatusCode">RFC 3463 status of a bounce.</param>
/// <param name="Suppressed">Whether the recipient was added to the tenant's suppression list.</param>
/// <param name="ReceivedAt">When the report arrived.</param>
public sealed record FeedbackAttribution(
    FeedbackKind Kind,
    string TenantId,
    long OutboundId,
    string SubmissionId,
    string Recipient,
    string SendingDomain,
    string? SourceIp,
    string? RemoteMta,
    string? Provider,
    string? FeedbackType,
    string? StatusCode,
    bool Suppressed,
    DateTimeOffset ReceivedAt);
