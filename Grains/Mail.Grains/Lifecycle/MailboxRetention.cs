using Mail.Grains.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Mail.Grains.Lifecycle;

/// <summary>
/// Prunes each mailbox's change log behind a horizon (changes older than <see cref="RetentionOptions.ChangeLogDays"/>,
/// or beyond the newest <see cref="RetentionOptions.MaxChangesPerMailbox"/> MODSEQs) and forgets delivery ids older than
/// <see cref="RetentionOptions.DeliveryIdDays"/>, in batched deletes. A consumer behind the horizon then gets
/// <c>HistoryPruned</c> and resynchronizes in full; it is never handed a delta with a gap.
/// </summary>
public sealed class MailboxRetention(NpgsqlDataSource dataSource, RetentionStore store, IOptions<RetentionOptions> options, MailClock clock,
    ILogger<MailboxRetention> logger) : PeriodicService("Retention")
{
    private const int PageSize = 500;

    /// <summary>Runs one pass now (unless another silo is running one); what it did.</summary>
    public async Task<RetentionPass> RunOnceAsync(CancellationToken ct)
    {
        await using var held = await LifecycleLock.TryTakeAsync(dataSource, "mail.retention", ct);
        if (held is null) return new RetentionPass(false, 0, 0, 0);
        var settings = options.Value;
        var batch = Math.Max(1, settings.BatchSize);
        var now = clock.GetUtcNow();
        var ageCutoff = now - TimeSpan.FromDays(settings.ChangeLogDays);
        var youngCutoff = now - TimeSpan.FromMinutes(settings.MinChangeAgeMinutes);
        int mailboxes = 0;
        long changes = 0, deliveries = 0;
        var after = "";
        while (true)
        {
            var page = await store.ListAsync(after, PageSize, ct);
            foreach (var history in page)
            {
                var target = await TargetAsync(history, settings, ageCutoff, youngCutoff, ct);
                if (target <= history.PrunedThrough) continue;
                mailboxes++;
                for (var from = history.PrunedThrough; from < target;)
                {
                    var through = Math.Min(target, from + batch);
                    changes += await store.PruneChangesAsync(history.AccountId, from, through, ct);
                    from = through;
                }
            }
            if (page.Count < PageSize) break;
            after = page[^1].AccountId;
        }
        var deliveryCutoff = now - TimeSpan.FromDays(settings.DeliveryIdDays);
        while (true)
        {
            var deleted = await store.PruneDeliveriesAsync(deliveryCutoff, batch, ct);
            deliveries += deleted;
            if (deleted < batch) break;
        }
        return new RetentionPass(true, mailboxes, changes, deliveries);
    }

    /// <summary>The MODSEQ a mailbox's log can be pruned through now (its current horizon when nothing is due).</summary>
    private async Task<long> TargetAsync(MailboxHistory history, RetentionOptions settings, DateTimeOffset ageCutoff, DateTimeOffset youngCutoff, CancellationToken ct)
    {
        if (history.OldestChangeAt is not { } oldest) return history.PrunedThrough;
        var target = history.PrunedThrough;
        if (oldest < ageCutoff)
        {
            target = (await store.FirstChangeSinceAsync(history.AccountId, history.PrunedThrough, ageCutoff, ct) ?? history.HighestModseq + 1) - 1;
        }
        var countLimit = history.HighestModseq - Math.Max(0, settings.MaxChangesPerMailbox);
        if (countLimit > target && oldest < youngCutoff)
        {
            var young = (await store.FirstChangeSinceAsync(history.AccountId, history.PrunedThrough, youngCutoff, ct) ?? history.HighestModseq + 1) - 1;
            target = Math.Max(target, Math.Min(countLimit, young));
        }
        return target;
    }

    /// <inheritdoc />
    protected override ILogger Logger => logger;

    /// <inheritdoc />
    protected override TimeProvider Clock => clock;

    /// <inheritdoc />
    protected override TimeSpan Interval => TimeSpan.FromMinutes(Math.Max(1, options.Value.IntervalMinutes));

    /// <inheritdoc />
    protected override bool Enabled => options.Value.Enabled;

    /// <inheritdoc />
    protected override async Task PassAsync(CancellationToken ct)
    {
        var pass = await RunOnceAsync(ct);
        if (pass.Changes + pass.Deliveries > 0)
        {
            logger.LogInformation("Retention: pruned {Changes} changes of {Mailboxes} mailboxes and {Deliveries} delivery ids",
                pass.Changes, pass.Mailboxes, pass.Deliveries);
        }
    }
}
