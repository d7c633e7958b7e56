using Mail.Grains.Reputation.Feedback;

namespace Mail.Grains.Reputation;

/// <summary>
/// Counts every attributed complaint and asynchronous bounce in the reputation counters, against the tenant, the
/// sending domain and the source IP × provider the message left from, so tenant thresholds and the operators' rates
/// see feedback that arrives after delivery, not only the replies seen during it.
/// </summary>
public sealed class FeedbackCounter(IReputationEvents events) : IFeedbackObserver
{
    /// <inheritdoc />
    public Task FeedbackAttributedAsync(FeedbackAttribution feedback) =>
        events.RecordAsync(new ReputationEvent(KindOf(feedback), feedback.TenantId, feedback.SendingDomain, feedback.SourceIp, feedback.Provider));

    /// <summary>A complaint is a complaint; a bounce is hard when its status is permanent (5.x.x, RFC 3463 §3.1), else soft.</summary>
    private static ReputationEventKind KindOf(FeedbackAttribution feedback) => feedback.Kind switch
    {
        FeedbackKind.Complaint => ReputationEventKind.Complaint,
        _ when feedback.StatusCode?.StartsWith('5') == true => ReputationEventKind.HardBounce,
        _ => ReputationEventKind.SoftBounce,
    };
}
