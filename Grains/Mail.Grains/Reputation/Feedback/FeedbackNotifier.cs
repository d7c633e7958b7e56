using Microsoft.Extensions.Logging;

namespace Mail.Grains.Reputation.Feedback;

/// <summary>
/// The single place complaints and asynchronous bounces leave the feedback handlers once they are recorded (suppression,
/// webhook event and feedback_reports row already committed): it logs each and hands it to every
/// <see cref="IFeedbackObserver"/>.
/// </summary>
public sealed class FeedbackNotifier(IEnumerable<IFeedbackObserver> observers, ILogger<FeedbackNotifier> logger)
{
    private readonly IFeedbackObserver[] _observers = observers.ToArray();

    /// <summary>Reports one attributed feedback.</summary>
    public async Task FeedbackAttributedAsync(FeedbackAttribution feedback)
    {
        logger.LogInformation("{Kind} for {Recipient} (tenant {Tenant}, domain {Domain}, row {Row}, source {SourceIp}, MX {Mta}): {Detail}",
            feedback.Kind, feedback.Recipient, feedback.TenantId, feedback.SendingDomain, feedback.OutboundId, feedback.SourceIp ?? "-",
            feedback.RemoteMta ?? "-", feedback.FeedbackType ?? feedback.StatusCode);
        foreach (var observer in _observers)
        {
            try
            {
                await observer.FeedbackAttributedAsync(feedback);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Feedback observer {Observer} failed on row {Row}", observer.GetType().Name, feedback.OutboundId);
            }
        }
    }
}
