using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Interfaces.Search;
using Mail.Grains.Search.Indexing;
using Mail.Grains.Search.Query;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Mail.Grains.Search;

/// <summary>
/// Parses a query, asks the engine for a page of ids and returns the live rows of those ids in the engine's order (an id
/// whose row went away in between is left out). Reindexing marks mailboxes for a rebuild: one account's indexer
/// starts at once, a tenant's mailboxes are rebuilt by the index sweep.
/// </summary>
[StatelessWorker]
public sealed class SearchGrain(ISearchEngine engine, SearchProgressStore progress, IOptions<SearchOptions> options) : Grain, ISearchGrain
{
    /// <inheritdoc />
    public async Task<SearchPage> SearchAsync(string accountId, SearchRequest request)
    {
        var settings = options.Value;
        if (request.Query.Length > settings.MaxQueryLength)
        {
            throw new MailException(MailErrorCode.Invalid, $"The query is longer than {settings.MaxQueryLength} characters.");
        }
        if (request.Offset < 0 || request.Limit is < 1 or > IMailboxGrain.MaxContentBatch)
        {
            throw new MailException(MailErrorCode.Invalid, $"The page must start at 0 or later and hold 1 to {IMailboxGrain.MaxContentBatch} messages.");
        }
        SearchNode query;
        try
        {
            query = SearchQueryParser.Parse(request.Query, settings.MaxTerms);
        }
        catch (SearchQueryException e)
        {
            throw new MailException(MailErrorCode.Invalid, "Invalid search query: " + e.Message);
        }
        // One more than the page tells whether a later page has matches without counting them all.
        var found = await engine.SearchAsync(accountId, query, request.Offset, request.Limit + 1, request.Sort == SearchSort.Relevance,
            request.Count ? settings.TotalCap : null, CancellationToken.None);
        var hasMore = found.MessageIds.Count > request.Limit;
        var ids = hasMore ? found.MessageIds.Take(request.Limit).ToArray() : found.MessageIds;
        if (ids.Count == 0) return new SearchPage([], hasMore, found.Total, found.TotalIsExact);
        var records = (await GrainFactory.GetGrain<IMailboxGrain>(accountId).GetMessagesAsync(ids)).ToDictionary(r => r.MessageId);
        var hits = ids.Where(records.ContainsKey)
            .Select(id => new SearchHit(records[id], found.Snippets.GetValueOrDefault(id)))
            .ToArray();
        return new SearchPage(hits, hasMore, found.Total, found.TotalIsExact);
    }

    /// <inheritdoc />
    public async Task<bool> ReindexAccountAsync(string accountId)
    {
        if (await progress.RequestRebuildAsync(null, accountId, CancellationToken.None) == 0) return false;
        await GrainFactory.GetGrain<ISearchIndexerGrain>(accountId).WakeAsync();
        return true;
    }

    /// <inheritdoc />
    public Task<int> ReindexTenantAsync(string tenantId) => progress.RequestRebuildAsync(tenantId, null, CancellationToken.None);
}
