using Mail.Grains.Search.Query;

namespace Mail.Grains.Search;

/// <summary>A search index: PostgreSQL full text (default) or Azure AI Search. Queries arrive parsed.</summary>
public interface ISearchEngine
{
    /// <summary>Adds or replaces documents.</summary>
    Task IndexAsync(IReadOnlyList<SearchDocument> documents, CancellationToken ct);

    /// <summary>Of <paramref name="messageIds"/>, those already indexed (a moved message keeps its id and needs no new parse).</summary>
    Task<IReadOnlySet<long>> IndexedAsync(string accountId, IReadOnlyList<long> messageIds, CancellationToken ct);

    /// <summary>Whether the index keeps row attributes itself (and so needs <see cref="UpdateRowsAsync"/> on flag, label and folder changes).</summary>
    bool MirrorsRows { get; }

    /// <summary>Updates the row attributes of indexed messages (only when <see cref="MirrorsRows"/>).</summary>
    Task UpdateRowsAsync(string accountId, IReadOnlyList<(long MessageId, SearchRowAttributes Row)> rows, CancellationToken ct);

    /// <summary>Removes documents of messages that no longer exist.</summary>
    Task RemoveAsync(string accountId, IReadOnlyList<long> messageIds, CancellationToken ct);

    /// <summary>Removes the account's documents whose message no longer exists (after a rebuild from the rows).</summary>
    Task RemoveOrphansAsync(string accountId, IReadOnlySet<long> liveMessageIds, CancellationToken ct);

    /// <summary>
    /// Ids of the account's matching messages for a page, best first (at most <paramref name="limit"/>), and when
    /// <paramref name="countCap"/> is set the total, counted up to it.
    /// </summary>
    Task<EngineResult> SearchAsync(string accountId, SearchNode query, int offset, int limit, bool relevance, int? countCap, CancellationToken ct);
}

/// <summary>What an engine found: ids in order, snippets by id (relevance only), and the total when it was asked for.</summary>
public sealed record EngineResult(IReadOnlyList<long> MessageIds, IReadOnlyDictionary<long, string> Snippets, long? Total, bool TotalIsExact);
