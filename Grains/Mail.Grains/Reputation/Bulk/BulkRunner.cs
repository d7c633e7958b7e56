using Mail.Grains.Interfaces.Bulk;
using Mail.Grains.Outbound;
using Mail.Grains.Reputation.Suppression;
using Mail.Grains.Reputation.Unsubscribe;
using Mail.Grains.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Mail.Grains.Reputation.Bulk;

/// <summary>
/// Queues submitted bulk jobs (one runner per silo; several silos share jobs through leases). For each job it reads the
/// pending recipients a page at a time, skips the suppressed ones, makes, stores and signs the others' messages a few
/// at a time, and commits the page's outbound rows with the recipients' new states in one transaction; then the next
/// page. Its memory is one page whatever the job's size. It sleeps until a job is submitted (NOTIFY) or a poll finds
/// a lapsed lease.
/// </summary>
public sealed class BulkRunner(
    NpgsqlDataSource dataSource,
    BulkJobStore store,
    BulkMessageFactory factory,
    SuppressionStore suppressions,
    UnsubscribeTokens tokens,
    IOptions<BulkOptions> options,
    IOptions<OutboundOptions> outbound,
    ILogger<BulkRunner> logger) : RestartingService("Bulk runner")
{
    private static readonly TimeSpan MaxSleep = TimeSpan.FromSeconds(15);

    private readonly BulkOptions _options = options.Value;
    private DateTimeOffset _maintained = DateTimeOffset.MinValue;

    private TimeSpan Lease => TimeSpan.FromSeconds(_options.LeaseSeconds);

    private string PublicHost => string.IsNullOrWhiteSpace(_options.PublicHost) ? outbound.Value.Hostname : _options.PublicHost.Trim();

    /// <inheritdoc />
    protected override ILogger Logger => logger;

    /// <inheritdoc />
    protected override bool Enabled => _options.Enabled;

    /// <inheritdoc />
    protected override async Task RunAsync(CancellationToken ct)
    {
        await using var listener = await dataSource.OpenConnectionAsync(ct);
        await using (var listen = new NpgsqlCommand($"LISTEN {BulkJobStore.Channel}", listener))
        {
            await listen.ExecuteNonQueryAsync(ct);
        }
        while (!ct.IsCancellationRequested)
        {
            await MaintainAsync();
            if (await store.ClaimAsync(Lease) is { } job)
            {
                await RunJobAsync(job, ct);
                continue;
            }
            var sweep = TimeSpan.FromSeconds(_options.SweepSeconds);
            await NotificationWait.WaitAsync(listener, sweep < MaxSleep ? sweep : MaxSleep, ct);
        }
    }

    private async Task RunJobAsync(BulkJob job, CancellationToken ct)
    {
        logger.LogInformation("Bulk job {Job} of {Tenant}: queuing", job.Id, job.TenantId);
        var signer = job.Class == BulkMailClasses.Marketing ? await tokens.SignerAsync(job.TenantId, ct) : null;
        var context = new BulkJobContext(job, signer, PublicHost);
        var token = job.LeaseToken;
        var after = -1;
        int queued = 0, suppressed = 0, failed = 0;
        try
        {
            while (true)
            {
                var page = await store.PendingAsync(job.Id, after, _options.PageSize);
                if (page.Count == 0)
                {
                    await store.FinishAsync(job.Id, token);
                    logger.LogInformation("Bulk job {Job}: {Queued} queued, {Suppressed} suppressed, {Failed} failed", job.Id, queued, suppressed, failed);
                    return;
                }
                after = page[^1].Seq;
                var outcomes = await MakePageAsync(context, page, ct);
                if (!await store.CommitPageAsync(job.Id, token, outcomes))
                {
                    logger.LogInformation("Bulk job {Job}: cancelled or taken over; stopping", job.Id);
                    return;
                }
                queued += outcomes.Count(o => o.Message is not null);
                suppressed += outcomes.Count(o => o.State == "suppressed");
                failed += outcomes.Count(o => o.State == "failed");
                if (await store.RenewAsync(job.Id, token, Lease) is not { } renewed) return;
                token = renewed;
            }
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            // Handed back at once, so the next pass (this silo's or another's) resumes at the first pending recipient.
            await store.ReleaseAsync(job.Id, token);
            throw;
        }
    }

    private async Task<BulkOutcome[]> MakePageAsync(BulkJobContext context, IReadOnlyList<PendingRecipient> page, CancellationToken ct)
    {
        var skip = await suppressions.SuppressedAsync(context.Job.TenantId, page.Select(r => r.Address).ToArray());
        var outcomes = new BulkOutcome[page.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, page.Count),
            new ParallelOptions { MaxDegreeOfParallelism = _options.Concurrency, CancellationToken = ct },
            async (i, token) =>
            {
                var recipient = page[i];
                if (skip.Contains(recipient.Address))
                {
                    outcomes[i] = BulkOutcome.Suppressed(recipient);
                    return;
                }
                // A recipient whose message cannot be made fails alone; a store or signing failure stops the page, to be retried.
                var message = factory.Build(context, recipient, out var error);
                outcomes[i] = message is null
                    ? BulkOutcome.Failed(recipient, error!)
                    : BulkOutcome.Queued(recipient, await factory.StoreAsync(context, recipient, message, token));
            });
        return outcomes;
    }

    /// <summary>Every <see cref="BulkOptions.SweepSeconds"/>: late rows of cancelled jobs cancelled, abandoned uploads deleted.</summary>
    private async Task MaintainAsync()
    {
        if (DateTimeOffset.UtcNow - _maintained < TimeSpan.FromSeconds(_options.SweepSeconds)) return;
        _maintained = DateTimeOffset.UtcNow;
        var swept = await store.SweepCancelledAsync(TimeSpan.FromHours(outbound.Value.QueueLifetimeHours));
        if (swept > 0) logger.LogInformation("Cancelled {Count} outbound rows of cancelled bulk jobs that were in flight at the cancellation", swept);
        var purged = await store.PurgeAbandonedAsync(TimeSpan.FromMinutes(_options.AbandonedAfterMinutes));
        if (purged > 0) logger.LogInformation("Deleted {Count} bulk jobs whose request never finished", purged);
    }
}
