using Mail.Grains.Interfaces;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Interfaces.Search;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Mail.Grains.Search.Indexing;

/// <summary>
/// One account's indexer. It replays the change log (the truth) after the MODSEQ it last indexed: added messages are
/// parsed and indexed (a moved one keeps its id and document), messages whose row is gone are removed. When the log
/// was pruned, the mailbox was recreated or a rebuild was asked for, it walks the rows instead.
/// It subscribes implicitly to the account's mailbox event stream: an event is only a hint that starts a catch-up from
/// the log, so a lost event costs nothing but the wait for the next event or the sweep (<see cref="SearchIndexSweep"/>).
/// Catch-ups are coalesced (<see cref="CoalescedRunner{T}"/>): one in flight plus at most one queued, never two at once;
/// a silo runs a bounded number of them at a time (<see cref="SearchIndexGate"/>).
/// The grain is reentrant so a stream delivery never waits behind a long catch-up (it only queues one and returns).
/// </summary>
[ImplicitStreamSubscription(Names.MailboxEventsNamespace)]
[Reentrant]
public sealed class SearchIndexerGrain(
    ISearchEngine engine,
    SearchRowStore rows,
    SearchProgressStore progress,
    SearchDocumentBuilder builder,
    SearchIndexGate gate,
    IOptions<SearchOptions> options,
    ILogger<SearchIndexerGrain> logger) : Grain, ISearchIndexerGrain, IStreamSubscriptionObserver, IAsyncObserver<MailboxEvent>
{
    private const int BuildParallelism = 4;
    private const int RebuildPage = 500;
    private const int WriteChunk = 100;

    private CoalescedRunner<long>? _runner;
    private long _indexed = -1;

    private CoalescedRunner<long> Runner => _runner ??= new CoalescedRunner<long>(PassAsync);

    /// <inheritdoc />
    public Task<long> CatchUpAsync() => Runner.RequestAsync();

    /// <inheritdoc />
    public Task WakeAsync()
    {
        Observe(Runner.RequestAsync());
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) => handleFactory.Create<MailboxEvent>().ResumeAsync(this);

    /// <inheritdoc />
    public Task OnNextAsync(MailboxEvent item, StreamSequenceToken? token = null)
    {
        // Indexing left to the sweep, or already indexed through this MODSEQ (a purge carries 0 and always looks).
        if (!options.Value.LiveIndexing || item.Modseq > 0 && item.Modseq <= _indexed && Runner.Idle) return Task.CompletedTask;
        Observe(Runner.RequestAsync());
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task OnCompletedAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public Task OnErrorAsync(Exception ex)
    {
        logger.LogWarning(ex, "Mailbox event stream of {Account} failed; the sweep and the next event catch up", this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    // A catch-up started by an event has no caller to see its failure: log it; the next event or sweep retries.
    private void Observe(Task<long> pass) => pass.ContinueWith(
        t => logger.LogWarning(t.Exception, "Search indexing of {Account} failed; the next event or sweep tries again", this.GetPrimaryKeyString()),
        CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Current);

    private async Task<long> PassAsync()
    {
        var through = await gate.RunAsync(CatchUpFromLogAsync);
        _indexed = through;
        return through;
    }

    private async Task<long> CatchUpFromLogAsync()
    {
        var account = this.GetPrimaryKeyString();
        var mailbox = GrainFactory.GetGrain<IMailboxGrain>(account);
        var ct = CancellationToken.None;
        var from = await progress.GetAsync(account, ct) ?? 0;
        var highest = await mailbox.GetHighestModseqAsync();
        if (from == SearchProgressStore.Rebuild || from > highest) from = await RebuildAsync(account, mailbox, ct);
        var batch = Math.Max(1, options.Value.ChangeBatch);
        while (true)
        {
            IReadOnlyList<MailboxChange> changes;
            try
            {
                changes = await mailbox.GetChangesAsync(from, batch);
            }
            catch (MailException e) when (e.Code == MailErrorCode.HistoryPruned)
            {
                from = await RebuildAsync(account, mailbox, ct);
                continue;
            }
            if (changes.Count > 0)
            {
                await ApplyAsync(account, changes, ct);
                from = changes[^1].Modseq;
            }
            if (changes.Count < batch)
            {
                // Read to the end of the log: every change through the HIGHESTMODSEQ read above is indexed (writes that take
                // a MODSEQ without a log row, a quota change, would otherwise leave the mailbox looking behind forever).
                from = Math.Max(from, highest);
                await progress.SetAsync(account, from, ct);
                return from;
            }
            await progress.SetAsync(account, from, ct);
        }
    }

    private async Task ApplyAsync(string account, IReadOnlyList<MailboxChange> changes, CancellationToken ct)
    {
        var added = new HashSet<long>();
        var touched = new HashSet<long>();
        var folderDeleted = false;
        foreach (var change in changes)
        {
            folderDeleted |= change.Kind == MailboxChangeKind.FolderDeleted;
            if (change.MessageId is not { } id) continue;
            if (change.Kind == MailboxChangeKind.Added) added.Add(id);
            if (change.Kind is MailboxChangeKind.Added or MailboxChangeKind.Expunged || engine.MirrorsRows) touched.Add(id);
        }
        var live = (await rows.LoadAsync(account, touched, ct)).ToDictionary(r => r.MessageId);
        await engine.RemoveAsync(account, touched.Where(id => !live.ContainsKey(id)).ToArray(), ct);
        var candidates = added.Where(live.ContainsKey).ToArray();
        var indexed = candidates.Length == 0 ? new HashSet<long>() : await engine.IndexedAsync(account, candidates, ct);
        var fresh = candidates.Where(id => !indexed.Contains(id)).Select(id => live[id]).ToArray();
        await IndexAsync(account, fresh, ct);
        if (engine.MirrorsRows)
        {
            var built = fresh.Select(r => r.MessageId).ToHashSet();
            await engine.UpdateRowsAsync(account, live.Values.Where(r => !built.Contains(r.MessageId)).Select(r => (r.MessageId, r.Attributes)).ToArray(), ct);
        }
        if (folderDeleted) await engine.RemoveOrphansAsync(account, await LiveIdsAsync(account, ct), ct);
    }

    private async Task IndexAsync(string account, IReadOnlyList<IndexRow> rows, CancellationToken ct)
    {
        // Parsing (blob reads, MimeKit) and writing (PostgreSQL's to_tsvector and index updates) overlap: the next chunk
        // is parsed while the one before it is written, so the two use different cores.
        var write = Task.CompletedTask;
        foreach (var chunk in rows.Chunk(WriteChunk))
        {
            var documents = new SearchDocument[chunk.Length];
            await Parallel.ForAsync(0, chunk.Length, new ParallelOptions { MaxDegreeOfParallelism = BuildParallelism, CancellationToken = ct },
                async (i, token) => documents[i] = await builder.BuildAsync(account, chunk[i], token));
            await write;
            write = engine.IndexAsync(documents, ct);
        }
        await write;
    }

    private async Task<long> RebuildAsync(string account, IMailboxGrain mailbox, CancellationToken ct)
    {
        var highest = await mailbox.GetHighestModseqAsync();
        logger.LogInformation("Rebuilding the search index of {Account} from its rows (through MODSEQ {Modseq})", account, highest);
        var live = await LiveIdsAsync(account, ct, index: true);
        await engine.RemoveOrphansAsync(account, live, ct);
        await progress.SetAsync(account, highest, ct);
        return highest;
    }

    private async Task<HashSet<long>> LiveIdsAsync(string account, CancellationToken ct, bool index = false)
    {
        var live = new HashSet<long>();
        var after = 0L;
        while (true)
        {
            var page = await rows.PageAsync(account, after, RebuildPage, ct);
            if (page.Count == 0) return live;
            if (index) await IndexAsync(account, page, ct);
            foreach (var row in page) live.Add(row.MessageId);
            after = page[^1].MessageId;
        }
    }
}
