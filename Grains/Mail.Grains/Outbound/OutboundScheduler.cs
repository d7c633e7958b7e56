using Mail.Grains.Interfaces.Outbound;
using Mail.Grains.Outbound.Bounces;
using Mail.Grains.Reputation;
using Mail.Grains.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Mail.Grains.Outbound;

/// <summary>
/// The queue manager (one per silo): leases due rows from the due index, groups them into transactions (one
/// per message and recipient domain), routes each domain and hands the jobs to their destination grains.
/// It sleeps until the next row comes due or a queue write NOTIFYs it, never on a fixed sweep; several silos
/// share the work through <c>FOR UPDATE SKIP LOCKED</c> leases. Owed DSNs are sent on the same wake-ups.
/// Between leasing and handing over, the <see cref="ReputationGate"/> admits jobs by tenant and grants them source IPs
/// of their pool; a job goes to the destination of its (site, source IP).
/// </summary>
public sealed class OutboundScheduler(
    NpgsqlDataSource dataSource,
    OutboundLeaseStore leases,
    OutboundRouter router,
    OutcomeRecorder recorder,
    DsnNotifier dsns,
    ReputationGate gate,
    IGrainFactory grains,
    IOptions<OutboundOptions> options,
    MailClock clock,
    ILogger<OutboundScheduler> logger) : RestartingService("Outbound scheduler")
{
    /// <summary>The longest sleep: a safety net for a lost notification, not the way work is found.</summary>
    private static readonly TimeSpan MaxSleep = TimeSpan.FromSeconds(30);

    /// <summary>How long rows a destination could not take wait before they are offered again.</summary>
    private static readonly TimeSpan Backpressure = TimeSpan.FromSeconds(2);

    private readonly OutboundOptions _options = options.Value;
    private long _leased, _refused, _passes;
    private DateTimeOffset _reported;

    /// <inheritdoc />
    protected override ILogger Logger => logger;

    /// <inheritdoc />
    protected override bool Enabled => _options.Enabled;

    /// <inheritdoc />
    protected override async Task RunAsync(CancellationToken ct)
    {
        await using var listener = await dataSource.OpenConnectionAsync(ct);
        await using (var listen = new NpgsqlCommand($"LISTEN {OutboundQueueStore.Channel}", listener))
        {
            await listen.ExecuteNonQueryAsync(ct);
        }
        while (!ct.IsCancellationRequested)
        {
            var pass = await DispatchAsync(ct);
            await dsns.SendOwedAsync(ct);
            Report();
            if (pass == Pass.Refused)
            {
                // A destination is full: wait for room (its rows are due again in a moment) instead of leasing in a loop.
                await NotificationWait.WaitAsync(listener, Backpressure, ct);
                continue;
            }
            if (pass == Pass.Full) continue;
            var next = await leases.NextDueAsync();
            var sleep = next is null ? MaxSleep : next.Value - clock.GetUtcNow();
            if (sleep <= TimeSpan.Zero) continue;
            await NotificationWait.WaitAsync(listener, sleep < MaxSleep ? sleep : MaxSleep, ct);
        }
    }

    /// <summary>One pass over the due rows: whether it found fewer than a batch, a full batch (more may be due), or a full destination.</summary>
    private async Task<Pass> DispatchAsync(CancellationToken ct)
    {
        var (leasedUntil, rows) = await leases.LeaseDueAsync(_options.BatchSize, TimeSpan.FromSeconds(_options.LeaseSeconds));
        _passes++;
        _leased += rows.Count;
        if (rows.Count == 0) return Pass.Partial;

        var jobs = rows.GroupBy(r => (r.SubmissionId, r.Domain)).Select(g => new OutboundJob(
            g.Select(r => new OutboundRecipient(r.Id, r.Recipient, r.Attempts)).ToArray(), g.Key.Domain, g.Key.SubmissionId,
            g.First().ReturnPath, g.First().Blob, g.First().DkimSignature, g.First().ExpiresAt, leasedUntil,
            g.First().TenantId, g.First().SendingDomain, g.First().StreamClass)).ToArray();
        var domains = jobs.Select(j => j.Domain).Distinct().ToArray();
        var routes = (await Task.WhenAll(domains.Select(d => router.RouteAsync(d, ct)))).Zip(domains).ToDictionary(p => p.Second, p => p.First);

        var unroutable = jobs.Where(j => routes[j.Domain].Failure is not null).ToArray();
        var ready = await gate.AdmitAsync(jobs.Where(j => routes[j.Domain].Failure is null).ToArray(), routes);
        var refused = await Task.WhenAll(ready.GroupBy(r => r.Destination).Select(d => HandOverAsync(d.Key, d.Select(r => r.Job).ToArray()))
            .Append(FailAsync(unroutable, routes)));
        return refused.Any(r => r) ? Pass.Refused : rows.Count >= _options.BatchSize ? Pass.Full : Pass.Partial;
    }

    /// <summary>Hands jobs to their destination (site, source IP); true when it refused some for want of room.</summary>
    private async Task<bool> HandOverAsync(string destination, OutboundJob[] jobs)
    {
        try
        {
            var accepted = await grains.GetGrain<IDestinationGrain>(destination).EnqueueAsync(jobs);
            var refused = jobs.Skip(accepted).ToArray();
            var rows = refused.SelectMany(j => j.Recipients.Select(r => r.RowId)).ToArray();
            await leases.ReleaseAsync(rows, jobs[0].LeasedUntil, clock.GetUtcNow() + Backpressure);
            if (refused.Length > 0) await gate.RefundAsync(refused);
            Interlocked.Add(ref _refused, rows.Length);
            return rows.Length > 0;
        }
        catch (Exception e)
        {
            // The rows stay leased and come due again when the lease lapses; nothing is lost.
            logger.LogError(e, "Outbound scheduler could not hand {Count} jobs to {Destination}", jobs.Length, destination);
            return false;
        }
    }

    /// <summary>Records the failure of jobs whose domain has no route (null MX, NXDOMAIN, a DNS or TLS-policy failure).</summary>
    private async Task<bool> FailAsync(OutboundJob[] jobs, Dictionary<string, OutboundRoute> routes)
    {
        foreach (var job in jobs)
        {
            try
            {
                var failure = routes[job.Domain].Failure!;
                await recorder.RecordFailureAsync(job, new DeliveryFailure(failure.Permanent, failure.StatusCode, failure.Text, null));
            }
            catch (Exception e)
            {
                // The rows stay leased and come due again when the lease lapses; nothing is lost.
                logger.LogError(e, "Outbound scheduler could not record the route failure of {Domain}", job.Domain);
            }
        }
        return false;
    }

    /// <summary>Once a minute while it works, what the scheduler did: enough to tell a stalled queue from an idle one.</summary>
    private void Report()
    {
        var now = clock.GetUtcNow();
        if (now - _reported < TimeSpan.FromMinutes(1)) return;
        if (_leased > 0) logger.LogInformation("Outbound scheduler: {Passes} passes leased {Leased} rows, {Refused} handed back by full destinations", _passes, _leased, Interlocked.Read(ref _refused));
        _reported = now;
        _passes = _leased = 0;
        Interlocked.Exchange(ref _refused, 0);
    }

    /// <summary>How a dispatch pass ended.</summary>
    private enum Pass
    {
        Partial,
        Full,
        Refused,
    }
}
