using Mail.Grains.Hosting;
using Mail.Grains.Interfaces.Outbound;
using Mail.Grains.Interfaces.Reputation;
using Mail.Grains.Outbound;
using Microsoft.Extensions.Logging;

namespace Mail.Grains.Reputation;

/// <summary>
/// Between the scheduled queue and the ready queues: decides for each leased job whether it may go now and from which
/// source IP. Each tenant's grain admits its share first (a throttled, paused or suspended tenant holds its mail), then
/// each job's pool (by the rules) grants slots on its IPs for the job's provider, splitting a job across IPs or
/// holding its rest until a cap, rate or suspension allows (a limit answers "retry at T" and never spends an attempt).
/// Granted jobs carry their pool, IP and provider, recorded on their rows, and go to the destination of (site, IP).
/// Without reputation configured every job goes on unchanged to its site, as before.
/// </summary>
public sealed class ReputationGate(ReputationPolicy policy, ReputationQueueStore queue, IGrainFactory grains, MailClock clock, ILogger<ReputationGate> logger)
{
    /// <summary>How long rows wait when a grain could not be asked (as when a destination is full).</summary>
    private static readonly TimeSpan Backoff = TimeSpan.FromSeconds(2);

    /// <summary>The jobs that may be sent now, each with its destination key; the rest are held on the queue.</summary>
    public async Task<IReadOnlyList<ReadyJob>> AdmitAsync(IReadOnlyList<OutboundJob> jobs, IReadOnlyDictionary<string, OutboundRoute> routes)
    {
        if (!policy.Active) return jobs.Select(j => new ReadyJob(j, routes[j.Domain].Site)).ToArray();
        var holds = new List<HeldRow>();
        var classified = jobs.Select(j => j with
        {
            Provider = policy.Providers.Classify(routes[j.Domain].Hosts.Select(h => h.Name), j.Domain),
            Pool = policy.HasPools ? policy.Rules.PoolFor(j.SendingDomain, j.Tenant, j.StreamClass) : null,
        }).ToArray();
        var admitted = await AdmitTenantsAsync(classified, holds);
        var ready = await ReserveAsync(admitted, routes, holds);
        if (jobs.Count > 0)
        {
            var lease = jobs[0].LeasedUntil;
            await queue.AssignAsync(ready.Where(r => r.Job.SourceIp is not null)
                .SelectMany(r => r.Job.Recipients.Select(x => new RowAssignment(x.RowId, r.Job.Pool!, r.Job.SourceIp!, r.Job.Provider!))).ToArray(), lease);
            await queue.HoldAsync(holds, lease);
        }
        return ready;
    }

    /// <summary>Gives back the slots of jobs a destination refused (their rows are released by the scheduler).</summary>
    public async Task RefundAsync(IEnumerable<OutboundJob> jobs)
    {
        foreach (var pool in jobs.Where(j => j.Pool is not null && j.SourceIp is not null).GroupBy(j => j.Pool!))
        {
            try
            {
                await grains.GetGrain<IOutboundIpPoolGrain>(pool.Key).ReturnAsync(pool.GroupBy(j => (j.SourceIp!, j.Provider!))
                    .Select(g => new SlotReturn(g.Key.Item1, g.Key.Item2, g.Sum(j => j.Recipients.Count))).ToArray());
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Returning unused slots to pool {Pool} failed; they count against this hour's caps", pool.Key);
            }
        }
    }

    /// <summary>Each tenant's grain admits as many of its messages as it allows now, in job order; the rest are held.</summary>
    private async Task<List<OutboundJob>> AdmitTenantsAsync(IReadOnlyList<OutboundJob> jobs, List<HeldRow> holds)
    {
        var admitted = new List<OutboundJob>(jobs.Count);
        admitted.AddRange(jobs.Where(j => j.Tenant is null));
        var byTenant = jobs.Where(j => j.Tenant is not null).GroupBy(j => j.Tenant!.ToLowerInvariant()).ToArray();
        var answers = await Task.WhenAll(byTenant.Select(async g =>
        {
            try
            {
                return await grains.GetGrain<ITenantReputationGrain>(g.Key).AdmitAsync(g.Sum(j => j.Recipients.Count));
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Tenant {Tenant} could not be asked; its mail waits a moment", g.Key);
                return new TenantAdmission(0, clock.GetUtcNow() + Backoff, TimeSpan.Zero, "reputation service unavailable");
            }
        }));
        foreach (var (group, answer) in byTenant.Zip(answers))
        {
            var left = answer.Granted;
            var waiting = 0;
            foreach (var job in group)
            {
                var (now, later) = Split(job, left);
                left -= now?.Recipients.Count ?? 0;
                if (now is not null) admitted.Add(now);
                if (later is not null) Hold(later, answer.RetryAt, answer.Spacing, answer.HoldReason, ref waiting, holds);
            }
        }
        return admitted;
    }

    /// <summary>Asks each pool for slots for its jobs; jobs without a pool go to their site from the global source address.</summary>
    private async Task<List<ReadyJob>> ReserveAsync(List<OutboundJob> jobs, IReadOnlyDictionary<string, OutboundRoute> routes, List<HeldRow> holds)
    {
        var ready = new List<ReadyJob>(jobs.Count);
        ready.AddRange(jobs.Where(j => j.Pool is null).Select(j => new ReadyJob(j, routes[j.Domain].Site)));
        var byPool = jobs.Where(j => j.Pool is not null).GroupBy(j => j.Pool!).ToArray();
        var answers = await Task.WhenAll(byPool.Select(async g =>
        {
            try
            {
                return await grains.GetGrain<IOutboundIpPoolGrain>(g.Key).ReserveAsync(g.Select(j => new SlotRequest(j.Provider!, j.Recipients.Count)).ToArray());
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Pool {Pool} could not be asked; its mail waits a moment", g.Key);
                return null;
            }
        }));
        foreach (var (group, grants) in byPool.Zip(answers))
        {
            var waiting = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (job, i) in group.Select((j, i) => (j, i)))
            {
                var grant = grants?[i] ?? new SlotGrant([], clock.GetUtcNow() + Backoff, TimeSpan.Zero, "reputation service unavailable");
                OutboundJob? rest = job;
                foreach (var share in grant.Shares)
                {
                    if (rest is null) break;
                    var (now, later) = Split(rest, share.Messages);
                    if (now is not null) ready.Add(new ReadyJob(now with { SourceIp = share.Ip }, DestinationKey.For(routes[job.Domain].Site, share.Ip)));
                    rest = later;
                }
                if (rest is null) continue;
                var count = waiting.GetValueOrDefault(job.Provider!);
                Hold(rest, grant.RetryAt, grant.Spacing, grant.HoldReason, ref count, holds);
                waiting[job.Provider!] = count;
            }
        }
        return ready;
    }

    /// <summary>Holds a job's rows until <paramref name="retryAt"/>, later ones spaced by the rate that holds them so they come back in turn.</summary>
    private void Hold(OutboundJob job, DateTimeOffset? retryAt, TimeSpan spacing, string? reason, ref int waiting, List<HeldRow> holds)
    {
        var at = retryAt ?? clock.GetUtcNow() + Backoff;
        foreach (var r in job.Recipients)
        {
            holds.Add(new HeldRow(r.RowId, at + spacing * waiting, reason ?? "held", job.Pool, job.Provider));
            waiting++;
        }
    }

    /// <summary>The first <paramref name="count"/> recipients of a job and the rest (either may be null).</summary>
    private static (OutboundJob? Now, OutboundJob? Later) Split(OutboundJob job, int count)
    {
        if (count >= job.Recipients.Count) return (job, null);
        if (count <= 0) return (null, job);
        return (job with { Recipients = job.Recipients.Take(count).ToArray() }, job with { Recipients = job.Recipients.Skip(count).ToArray() });
    }
}

/// <summary>A job that may be sent now and the destination (site, source IP) it goes to.</summary>
public sealed record ReadyJob(OutboundJob Job, string Destination);
