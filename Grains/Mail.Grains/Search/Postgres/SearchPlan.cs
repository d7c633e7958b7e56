namespace Mail.Grains.Search.Postgres;

/// <summary>
/// How a newest-first page of search results is read (README: Search, query plans). Every plan returns the same ids;
/// they differ in the rows they read.
/// </summary>
public enum SearchPlan
{
    /// <summary>The engine chooses: a probe of the required terms' index decides between <see cref="Walk"/> and <see cref="Candidates"/>.</summary>
    Auto,

    /// <summary>One statement over the whole query, planned by PostgreSQL alone (queries without indexed terms, relevance order).</summary>
    Planner,

    /// <summary>The date index walked newest first (within the query's date range), each document tested until the page is full.</summary>
    Walk,

    /// <summary>The required terms' matches read through their GIN index, sorted by date, and only the page's prefix joined with its rows.</summary>
    Candidates,
}
