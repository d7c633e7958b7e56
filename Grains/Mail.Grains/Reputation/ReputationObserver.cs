using Mail.Grains.Hosting;
using Mail.Grains.Interfaces.Outbound;
using Mail.Grains.Interfaces.Reputation;
using Mail.Grains.Outbound;
using Microsoft.Extensions.Logging;

namespace Mail.Grains.Reputation;

/// <summary>
/// Watches every recorded delivery attempt: counts its outcomes against the job's tenant, sending domain and source
/// IP × provider, and hands replies that match automation rules to the pool grain (IP rules) or the tenant's grain
/// (tenant rules), which count them against their thresholds. Does nothing when reputation is off.
/// </summary>
public sealed class ReputationObserver(ReputationPolicy policy, ReputationCounters counters, IGrainFactory grains, MailClock clock, ILogger<ReputationObserver> logger)
{
    /// <summary>Counts <paramref name="outcomes"/> of <paramref name="job"/> and reports replies that match automation rules.</summary>
    public async Task ObserveAsync(OutboundJob job, IReadOnlyList<RowOutcome> outcomes)
    {
        if (!policy.Active || outcomes.Count == 0) return;
        counters.Add(job.Tenant, job.SendingDomain, job.SourceIp, job.Provider, Count(outcomes));
        var provider = job.Provider ?? ProviderTable.Other;
        var now = clock.GetUtcNow();
        // One match per distinct reply and rule: a connection-level reply given to every recipient of a job is one event.
        var matches = outcomes.Where(o => o.Kind != OutcomeKind.Delivered && o.RemoteMta is not null).Select(o => o.Reply).Distinct(StringComparer.Ordinal)
            .SelectMany(reply => policy.Replies.Matching(provider, reply).Select(rule => (Rule: rule, Match: new ReplyMatch(rule.Name, job.SourceIp, provider, job.Tenant, reply, now))))
            .ToArray();
        if (matches.Length == 0) return;
        try
        {
            var forIp = matches.Where(m => m.Rule.Action != AutomationActions.SuspendTenant).Select(m => m.Match).ToArray();
            if (forIp.Length > 0 && job.Pool is { } pool && job.SourceIp is not null) await grains.GetGrain<IOutboundIpPoolGrain>(pool).ReportAsync(forIp);
            var forTenant = matches.Where(m => m.Rule.Action == AutomationActions.SuspendTenant).Select(m => m.Match).ToArray();
            if (forTenant.Length > 0 && job.Tenant is { } tenant) await grains.GetGrain<ITenantReputationGrain>(tenant.ToLowerInvariant()).ReportAsync(forTenant);
        }
        catch (Exception e)
        {
            // The delivery is recorded; a lost automation match only delays a rule.
            logger.LogWarning(e, "Reporting automation matches for {Submission} failed", job.SubmissionId);
        }
    }

    /// <summary>
    /// Sent counts attempts a remote server answered (or that reached its host); delivered, deferred and bounced follow
    /// the outcome, a 5.x.x failure being a hard bounce and a failure after temporary ones (the lifetime ran out) a soft one.
    /// </summary>
    private static Counts Count(IReadOnlyList<RowOutcome> outcomes)
    {
        long sent = 0, delivered = 0, deferred = 0, hard = 0, soft = 0;
        foreach (var o in outcomes)
        {
            var remote = o.RemoteMta is not null;
            switch (o.Kind)
            {
                case OutcomeKind.Delivered:
                    sent++;
                    delivered++;
                    break;
                case OutcomeKind.Deferred when remote:
                    sent++;
                    deferred++;
                    break;
                case OutcomeKind.Failed:
                    if (remote) sent++;
                    if (o.StatusCode?.StartsWith('4') == true) soft++;
                    else hard++;
                    break;
            }
        }
        return new Counts(sent, delivered, deferred, hard, soft, 0);
    }
}
