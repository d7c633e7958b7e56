using Mail.Grains.Hosting;
using Mail.Grains.Interfaces.Search;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mail.Grains.Search.Indexing;

/// <summary>
/// Finds mailboxes whose change log is ahead of their index (one query over mailboxes and search_progress) and has
/// their indexer grains catch up. Mailbox events wake the indexers at once; the sweep is the safety net under the event
/// stream (a lost event with nothing after it, a host without a stream provider) and runs tenant-wide rebuilds, so
/// nothing waits longer than about one <see cref="SearchOptions.SweepInterval"/> plus the indexing time.
/// </summary>
public sealed class SearchIndexSweep(
    IGrainFactory grains,
    SearchProgressStore progress,
    IOptions<SearchOptions> options,
    MailClock clock,
    ILogger<SearchIndexSweep> logger) : PeriodicService("Search index sweep")
{
    /// <inheritdoc />
    protected override ILogger Logger => logger;

    /// <inheritdoc />
    protected override TimeProvider Clock => clock;

    /// <inheritdoc />
    protected override TimeSpan Interval => options.Value.SweepInterval;

    /// <inheritdoc />
    protected override async Task PassAsync(CancellationToken ct)
    {
        var lagging = await progress.LaggingAsync(options.Value.SweepBatch, ct);
        await Parallel.ForEachAsync(lagging, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.SweepParallelism), CancellationToken = ct },
            async (account, _) =>
            {
                try
                {
                    await grains.GetGrain<ISearchIndexerGrain>(account).CatchUpAsync();
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    logger.LogWarning(e, "Search indexing of {Account} failed; the next sweep tries again", account);
                }
            });
    }
}
