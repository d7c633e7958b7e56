using Mail.Grains.Hosting;
using Mail.Grains.Reputation.Suppression;
using Mail.Grains.Reputation.Webhooks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mail.Grains.Reputation;

/// <summary>
/// Hourly, deletes what no read uses any more: suppressions past their expiry (every read already ignores them) and
/// webhook deliveries finished longer ago than <see cref="WebhookOptions.LogRetentionDays"/>, with their attempt log.
/// Every silo runs it; the deletes are idempotent.
/// </summary>
public sealed class FeedbackRetention(SuppressionStore suppressions, WebhookDeliveryStore deliveries, IOptions<WebhookOptions> options,
    MailClock clock, ILogger<FeedbackRetention> logger) : PeriodicService("Feedback retention")
{
    private static readonly TimeSpan Period = TimeSpan.FromHours(1);

    /// <inheritdoc />
    protected override ILogger Logger => logger;

    /// <inheritdoc />
    protected override TimeProvider Clock => clock;

    /// <inheritdoc />
    protected override TimeSpan Interval => Period;

    /// <inheritdoc />
    protected override async Task PassAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var expired = await suppressions.PurgeExpiredAsync(now);
        var finished = await deliveries.PurgeFinishedAsync(now - TimeSpan.FromDays(options.Value.LogRetentionDays));
        if (expired + finished > 0) logger.LogInformation("Deleted {Expired} expired suppressions and {Finished} old webhook deliveries", expired, finished);
    }
}
