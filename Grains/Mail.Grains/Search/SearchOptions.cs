namespace Mail.Grains.Search;

/// <summary>Search settings (<c>Mail:Search</c>, README: Search).</summary>
public sealed class SearchOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Mail:Search";

    /// <summary>"postgres" (default) or "azure" (Azure AI Search, with <see cref="Azure"/>).</summary>
    public string Engine { get; set; } = "postgres";

    /// <summary>PostgreSQL text search configuration for stemming (english, german, french, ...); 'simple' words are always indexed too.</summary>
    public string Language { get; set; } = "english";

    /// <summary>Whether message bodies are indexed. Off keeps body words out of the database (subject, addresses and attachment names only).</summary>
    public bool IndexBodies { get; set; } = true;

    /// <summary>Most body characters indexed per message (PostgreSQL caps a tsvector at 1 MB).</summary>
    public int MaxBodyChars { get; set; } = 100_000;

    /// <summary>Longest query accepted, in characters.</summary>
    public int MaxQueryLength { get; set; } = 1024;

    /// <summary>Most terms in one query.</summary>
    public int MaxTerms { get; set; } = 64;

    /// <summary>Matches counted at most for a total, which a search gives only when asked (count=true): a broad query never counts a whole mailbox.</summary>
    public int TotalCap { get; set; } = 10_000;

    /// <summary>
    /// How often the indexer sweep looks for mailboxes whose change log is ahead of the index. Mailbox events wake the
    /// indexers at once; the sweep is the safety net for lost events and for tenant-wide rebuilds.
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether a mailbox event starts its indexer at once (the default: searchable within a second). Off leaves indexing
    /// to the sweep, every <see cref="SweepInterval"/>, in large batches: for bulk imports, or to measure delivery alone.
    /// </summary>
    public bool LiveIndexing { get; set; } = true;

    /// <summary>
    /// Catch-ups one silo runs at once (events and sweep together). Indexing is background work: in a burst of deliveries,
    /// mailboxes wait their turn and each turn indexes everything that arrived meanwhile in one batch, so the index falls
    /// behind by seconds rather than taking the cores that acknowledged deliveries wait for. Default: half the cores.
    /// </summary>
    public int IndexParallelism { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>Mailboxes caught up per sweep, and how many at once.</summary>
    public int SweepBatch { get; set; } = 256;

    /// <summary>Mailboxes indexed in parallel by one silo's sweep.</summary>
    public int SweepParallelism { get; set; } = 4;

    /// <summary>Change-log rows read per step of a catch-up.</summary>
    public int ChangeBatch { get; set; } = 500;

    /// <summary>Azure AI Search settings, used when <see cref="Engine"/> is "azure".</summary>
    public AzureSearchSettings Azure { get; set; } = new();
}

/// <summary>Where the Azure AI Search index is (<c>Mail:Search:Azure</c>).</summary>
public sealed class AzureSearchSettings
{
    /// <summary>The service endpoint, https://NAME.search.windows.net.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The index name.</summary>
    public string IndexName { get; set; } = "mail";

    /// <summary>An admin key; when empty, the managed identity (DefaultAzureCredential) is used.</summary>
    public string? ApiKey { get; set; }
}
