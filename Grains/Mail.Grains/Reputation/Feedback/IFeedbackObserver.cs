namespace Mail.Grains.Reputation.Feedback;

/// <summary>
/// Something that wants every attributed complaint and asynchronous bounce, after it is recorded (reputation counters,
/// per-IP and per-tenant rates). Register one in the service collection; <see cref="FeedbackNotifier"/> calls them all.
/// </summary>
public interface IFeedbackObserver
{
    /// <summary>Called once per recorded feedback; a failure is logged and does not undo the record.</summary>
    Task FeedbackAttributedAsync(FeedbackAttribution feedback);
}
