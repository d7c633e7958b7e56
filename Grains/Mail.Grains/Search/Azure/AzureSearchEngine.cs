using Mail.Grains.Hosting;
using System.Net;
using Azure;
using Azure.Identity;
using Azure.Search.Documents;
using Azure.Search.Documents.Indexes;
using Azure.Search.Documents.Models;
using Mail.Grains.Search.Query;
using Microsoft.Extensions.Options;
using AzureSearchOptions = Azure.Search.Documents.SearchOptions;

namespace Mail.Grains.Search.Azure;

/// <summary>
/// The Azure AI Search engine (<c>Mail:Search:Engine</c> = azure) behind <see cref="ISearchEngine"/>: documents keyed by
/// account and message, every query filtered to the account (<see cref="AzureQueryTranslator"/>). Row attributes are
/// mirrored (<see cref="MirrorsRows"/>), so flag and label filters follow the indexer within its lag rather than at once.
/// </summary>
public sealed class AzureSearchEngine : ISearchEngine
{
    private const string MarkStart = "\u0001";
    private const string MarkEnd = "\u0002";
    private readonly SearchClient _client;
    private readonly SearchIndexClient _indexes;
    private readonly string _indexName;
    private readonly MailClock _clock;

    /// <summary>Connects to the configured service (an admin key, or the managed identity).</summary>
    public AzureSearchEngine(IOptions<SearchOptions> options, MailClock clock)
    {
        var azure = options.Value.Azure;
        var endpoint = new Uri(azure.Endpoint ?? throw new InvalidOperationException("Mail:Search:Azure:Endpoint is required when Mail:Search:Engine is azure."));
        _indexName = azure.IndexName;
        _indexes = string.IsNullOrEmpty(azure.ApiKey)
            ? new SearchIndexClient(endpoint, new DefaultAzureCredential())
            : new SearchIndexClient(endpoint, new AzureKeyCredential(azure.ApiKey));
        _client = _indexes.GetSearchClient(_indexName);
        _clock = clock;
    }

    /// <summary>The index definition (fields from <see cref="AzureMailDocument"/>'s attributes).</summary>
    public static global::Azure.Search.Documents.Indexes.Models.SearchIndex Definition(string name) =>
        new(name, new FieldBuilder().Build(typeof(AzureMailDocument)));

    /// <summary>Creates or updates the index.</summary>
    public Task EnsureIndexAsync(CancellationToken ct) => _indexes.CreateOrUpdateIndexAsync(Definition(_indexName), cancellationToken: ct);

    /// <inheritdoc />
    public bool MirrorsRows => true;

    /// <inheritdoc />
    public async Task IndexAsync(IReadOnlyList<SearchDocument> documents, CancellationToken ct)
    {
        if (documents.Count == 0) return;
        await _client.MergeOrUploadDocumentsAsync(documents.Select(AzureMailDocument.Of), new IndexDocumentsOptions { ThrowOnAnyError = true }, ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlySet<long>> IndexedAsync(string accountId, IReadOnlyList<long> messageIds, CancellationToken ct)
    {
        var keys = string.Join(",", messageIds.Select(id => AzureMailDocument.Key(accountId, id)));
        var options = new AzureSearchOptions { Filter = $"search.in(Id, {AzureQueryTranslator.Literal(keys)}, ',')", Size = messageIds.Count };
        options.Select.Add(nameof(AzureMailDocument.MessageId));
        var found = new HashSet<long>();
        var response = await _client.SearchAsync<AzureMailDocument>("*", options, ct);
        await foreach (var result in response.Value.GetResultsAsync()) found.Add(result.Document.MessageId);
        return found;
    }

    /// <inheritdoc />
    public async Task UpdateRowsAsync(string accountId, IReadOnlyList<(long MessageId, SearchRowAttributes Row)> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        var updates = rows.Select(r => new AzureMailDocument { Id = AzureMailDocument.Key(accountId, r.MessageId), AccountId = accountId, MessageId = r.MessageId }.With(r.Row));
        // Merge keeps the text fields; a document not indexed yet is left for its Added change to upload.
        await _client.MergeDocumentsAsync(updates, new IndexDocumentsOptions { ThrowOnAnyError = false }, ct);
    }

    /// <inheritdoc />
    public async Task RemoveAsync(string accountId, IReadOnlyList<long> messageIds, CancellationToken ct)
    {
        if (messageIds.Count == 0) return;
        await _client.DeleteDocumentsAsync("Id", messageIds.Select(id => AzureMailDocument.Key(accountId, id)), new IndexDocumentsOptions { ThrowOnAnyError = false }, ct);
    }

    /// <inheritdoc />
    public async Task RemoveOrphansAsync(string accountId, IReadOnlySet<long> liveMessageIds, CancellationToken ct)
    {
        var options = new AzureSearchOptions { Filter = $"AccountId eq {AzureQueryTranslator.Literal(accountId)}", Size = 1000 };
        options.Select.Add(nameof(AzureMailDocument.MessageId));
        var orphans = new List<long>();
        var response = await _client.SearchAsync<AzureMailDocument>("*", options, ct);
        await foreach (var result in response.Value.GetResultsAsync())
        {
            if (!liveMessageIds.Contains(result.Document.MessageId)) orphans.Add(result.Document.MessageId);
        }
        await RemoveAsync(accountId, orphans, ct);
    }

    /// <inheritdoc />
    public async Task<EngineResult> SearchAsync(string accountId, SearchNode query, int offset, int limit, bool relevance, int? countCap, CancellationToken ct)
    {
        var (text, options) = Request(accountId, query, _clock.GetUtcNow(), offset, limit, relevance);
        options.IncludeTotalCount = countCap is not null;
        var response = await _client.SearchAsync<AzureMailDocument>(text, options, ct);
        var ids = new List<long>(limit);
        var snippets = new Dictionary<long, string>();
        await foreach (var result in response.Value.GetResultsAsync())
        {
            ids.Add(result.Document.MessageId);
            if (result.Highlights is { Count: > 0 } highlights)
            {
                snippets[result.Document.MessageId] = WebUtility.HtmlEncode(string.Join(" … ", highlights.Values.SelectMany(v => v)))
                    .Replace(MarkStart, "<mark>").Replace(MarkEnd, "</mark>");
            }
            if (ids.Count == limit) break;
        }
        if (countCap is not { } cap) return new EngineResult(ids, snippets, null, false);
        var total = response.Value.TotalCount ?? ids.Count;
        return new EngineResult(ids, snippets, Math.Min(total, cap), total <= cap);
    }

    /// <summary>
    /// The search text and options of a query (public so its translation is tested without the service): newest first
    /// with search text "*", or, by relevance, the query's positive words as search text with highlights.
    /// </summary>
    public static (string SearchText, AzureSearchOptions Options) Request(string accountId, SearchNode query, DateTimeOffset now, int offset, int limit, bool relevance)
    {
        var (filter, text) = AzureQueryTranslator.Translate(accountId, query, now);
        var ranked = relevance && text != "*";
        return (ranked ? text : "*", Build(filter, offset, limit, ranked));
    }

    private static AzureSearchOptions Build(string filter, int offset, int limit, bool relevance)
    {
        var options = new AzureSearchOptions
        {
            Filter = filter,
            Skip = offset,
            Size = limit,
            QueryType = SearchQueryType.Full,
            SearchMode = SearchMode.All,
        };
        options.Select.Add(nameof(AzureMailDocument.MessageId));
        if (relevance)
        {
            options.HighlightFields.Add(nameof(AzureMailDocument.Subject));
            options.HighlightFields.Add(nameof(AzureMailDocument.Body));
            options.HighlightPreTag = MarkStart;
            options.HighlightPostTag = MarkEnd;
        }
        else
        {
            options.OrderBy.Add($"{nameof(AzureMailDocument.InternalDate)} desc");
        }
        return options;
    }
}
