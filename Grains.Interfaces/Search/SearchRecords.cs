using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Grains.Interfaces.Search;

/// <summary>How search results are ordered.</summary>
public enum SearchSort
{
    /// <summary>Newest first (received date).</summary>
    Newest = 0,
    /// <summary>Best text match first, with highlighted snippets.</summary>
    Relevance = 1,
}

/// <summary>A search: the query text, a page window, an order, and whether to count every match (up to a cap).</summary>
[GenerateSerializer, Immutable, Alias("mail.SearchRequest")]
public sealed record SearchRequest(
    [property: Id(0)] string Query,
    [property: Id(1)] int Offset,
    [property: Id(2)] int Limit,
    [property: Id(3)] SearchSort Sort = SearchSort.Newest,
    [property: Id(4)] bool Count = false);

/// <summary>A matching message (its live row) and, when sorted by relevance, a snippet with matches in &lt;mark&gt; (HTML-escaped).</summary>
[GenerateSerializer, Immutable, Alias("mail.SearchHit")]
public sealed record SearchHit(
    [property: Id(0)] MessageRecord Message,
    [property: Id(1)] string? Snippet);

/// <summary>
/// A page of hits, whether a later page has more, and, only when the request asked to count, how many messages match
/// in all (counted up to a cap, see <see cref="TotalIsExact"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("mail.SearchPage")]
public sealed record SearchPage(
    [property: Id(0)] IReadOnlyList<SearchHit> Items,
    [property: Id(1)] bool HasMore,
    [property: Id(2)] long? Total = null,
    [property: Id(3)] bool TotalIsExact = false);
