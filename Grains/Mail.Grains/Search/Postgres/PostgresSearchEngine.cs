using Mail.Grains.Hosting;
using System.Net;
using Mail.Grains.Search.Query;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Mail.Grains.Search.Postgres;

/// <summary>
/// The default engine: PostgreSQL full text (migration 0016). Results are always joined with the live row, so flags,
/// labels and folder filter exactly and an expunged message is gone from results the moment its row is.
/// </summary>
public sealed class PostgresSearchEngine(NpgsqlDataSource dataSource, IOptions<SearchOptions> options, MailClock clock) : ISearchEngine
{
    private const string From = """
        FROM search_documents d JOIN mailbox_messages m ON m.account_id = d.account_id AND m.message_id = d.message_id
        WHERE d.account_id = @a AND m.account_id = @a
        """;

    // Snippet markers: control characters no mail text keeps, turned into <mark> after the text is HTML-escaped.
    private const char MarkStart = '\u0001';
    private const char MarkEnd = '\u0002';

    /// <inheritdoc />
    public bool MirrorsRows => false;

    private string Language => options.Value.Language;

    /// <inheritdoc />
    public async Task IndexAsync(IReadOnlyList<SearchDocument> documents, CancellationToken ct)
    {
        if (documents.Count == 0) return;
        // One statement for the whole batch (rows as parallel arrays): one parse and plan instead of one per document.
        // A document given twice is written once (ON CONFLICT cannot touch one row twice in a statement).
        var unique = documents.GroupBy(d => (d.AccountId, d.MessageId)).Select(g => g.Last()).ToArray();
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO search_documents (account_id, message_id, internal_date, from_text, to_text, cc_text, bcc_text, list_text,
                delivered_text, filenames, subject_tsv, tsv)
            SELECT u.account_id, u.message_id, u.internal_date, u.from_text, u.to_text, u.cc_text, u.bcc_text, u.list_text,
                u.delivered_text, u.filenames, s.v, setweight(s.v, 'A')
                || setweight(to_tsvector('simple', u.words), 'B')
                || setweight(to_tsvector(@lang::regconfig, u.body) || to_tsvector('simple', u.body), 'D')
            FROM unnest(@accounts, @ids, @dates, @froms, @tos, @ccs, @bccs, @lists, @delivered, @names, @subjects, @words, @bodies)
                AS u(account_id, message_id, internal_date, from_text, to_text, cc_text, bcc_text, list_text, delivered_text, filenames,
                     subject, words, body)
            CROSS JOIN LATERAL (SELECT to_tsvector(@lang::regconfig, u.subject) || to_tsvector('simple', u.subject) AS v) s
            ON CONFLICT (account_id, message_id) DO UPDATE SET internal_date = excluded.internal_date, from_text = excluded.from_text,
                to_text = excluded.to_text, cc_text = excluded.cc_text, bcc_text = excluded.bcc_text, list_text = excluded.list_text,
                delivered_text = excluded.delivered_text, filenames = excluded.filenames, subject_tsv = excluded.subject_tsv,
                tsv = excluded.tsv, indexed_at = now()
            """);
        var p = command.Parameters;
        p.AddWithValue("lang", Language);
        p.AddWithValue("accounts", unique.Select(d => d.AccountId).ToArray());
        p.AddWithValue("ids", unique.Select(d => d.MessageId).ToArray());
        p.AddWithValue("dates", unique.Select(d => d.InternalDate.UtcDateTime).ToArray());
        p.AddWithValue("froms", Column(unique, d => d.From.ToLowerInvariant()));
        p.AddWithValue("tos", Column(unique, d => string.Join(", ", d.To).ToLowerInvariant()));
        p.AddWithValue("ccs", Column(unique, d => string.Join(", ", d.Cc).ToLowerInvariant()));
        p.AddWithValue("bccs", Column(unique, d => string.Join(", ", d.Bcc).ToLowerInvariant()));
        p.AddWithValue("lists", Column(unique, d => d.ListId.ToLowerInvariant()));
        p.AddWithValue("delivered", Column(unique, d => d.DeliveredTo.ToLowerInvariant()));
        p.AddWithValue("names", Column(unique, d => string.Join(" / ", d.AttachmentNames).ToLowerInvariant()));
        p.AddWithValue("subjects", Column(unique, d => d.Subject));
        p.AddWithValue("words", Column(unique, d => SearchWords.Addresses(d) + " " + SearchWords.FileNames(d.AttachmentNames)));
        p.AddWithValue("bodies", Column(unique, d => d.Body));
        await AsyncCommit.ExecuteAsync(dataSource, command, ct);
    }

    private static string[] Column(SearchDocument[] documents, Func<SearchDocument, string> value) =>
        documents.Select(d => Clean(value(d))).ToArray();

    // PostgreSQL text cannot hold NUL.
    private static string Clean(string text) => text.Contains('\0') ? text.Replace('\0', ' ') : text;

    /// <inheritdoc />
    public async Task<IReadOnlySet<long>> IndexedAsync(string accountId, IReadOnlyList<long> messageIds, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT message_id FROM search_documents WHERE account_id = @a AND message_id = ANY(@ids)");
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("ids", messageIds.ToArray());
        await using var reader = await command.ExecuteReaderAsync(ct);
        var found = new HashSet<long>();
        while (await reader.ReadAsync(ct)) found.Add(reader.GetInt64(0));
        return found;
    }

    /// <inheritdoc />
    public Task UpdateRowsAsync(string accountId, IReadOnlyList<(long MessageId, SearchRowAttributes Row)> rows, CancellationToken ct) => Task.CompletedTask;

    /// <inheritdoc />
    public async Task RemoveAsync(string accountId, IReadOnlyList<long> messageIds, CancellationToken ct)
    {
        if (messageIds.Count == 0) return;
        await using var command = new NpgsqlCommand("DELETE FROM search_documents WHERE account_id = @a AND message_id = ANY(@ids)");
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("ids", messageIds.ToArray());
        await AsyncCommit.ExecuteAsync(dataSource, command, ct);
    }

    /// <inheritdoc />
    public async Task RemoveOrphansAsync(string accountId, IReadOnlySet<long> liveMessageIds, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            """
            DELETE FROM search_documents d WHERE d.account_id = @a
               AND NOT EXISTS (SELECT 1 FROM mailbox_messages m WHERE m.account_id = @a AND m.message_id = d.message_id)
            """);
        command.Parameters.AddWithValue("a", accountId);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <inheritdoc />
    public async Task<EngineResult> SearchAsync(string accountId, SearchNode query, int offset, int limit, bool relevance, int? countCap, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var compiled = PostgresQueryCompiler.Compile(query, now);
        var candidates = relevance ? null : await RareWordCandidatesAsync(accountId, query, now, ct);
        if (candidates is { Length: 0 }) return new EngineResult([], new Dictionary<long, string>(), countCap is null ? null : 0, countCap is not null);
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(PageSql(compiled, accountId, offset, limit, relevance, candidates)));
        if (countCap is { } cap)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(compiled.Inline($"SELECT count(*) FROM (SELECT 1 {From} AND {compiled.Where} LIMIT @cap) c",
                new Dictionary<string, object> { ["a"] = accountId, ["lang"] = Language, ["cap"] = cap + 1 })));
        }
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var ids = new List<long>(limit);
        var snippets = new Dictionary<long, string>();
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetInt64(0);
            ids.Add(id);
            if (!reader.IsDBNull(1)) snippets[id] = Highlight(reader.GetString(1));
        }
        if (countCap is not { } counted) return new EngineResult(ids, snippets, null, false);
        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        var total = reader.GetInt64(0);
        return new EngineResult(ids, snippets, Math.Min(total, counted), total <= counted);
    }

    /// <summary>The statement of one page of <paramref name="query"/> as <see cref="SearchAsync"/> sends it (the bench EXPLAINs it).</summary>
    public async Task<string> PageSqlAsync(string accountId, SearchNode query, int offset, int limit, bool relevance, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var candidates = relevance ? null : await RareWordCandidatesAsync(accountId, query, now, ct);
        return PageSql(PostgresQueryCompiler.Compile(query, now), accountId, offset, limit, relevance, candidates);
    }

    /// <summary>Most candidate ids read for a rare word (<see cref="RareWordCandidatesAsync"/>).</summary>
    public const int CandidateCap = 1000;

    /// <summary>
    /// Newest first, PostgreSQL walks the date index and tests each row until the page is full: quick for a common word,
    /// but for a rare one (a name, a code, a word just delivered) it walks the whole mailbox to find a few or none, and
    /// its estimate for a word it has no statistics for does not tell it so. So when a required word has a lexeme that is
    /// not among the column's most common elements (pg_stats), its matches are first read through the GIN index, at most
    /// <see cref="CandidateCap"/> ids, and the page is sorted from them. Null: no such word, or too many matches for that.
    /// </summary>
    private async Task<long[]?> RareWordCandidatesAsync(string accountId, SearchNode query, DateTimeOffset now, CancellationToken ct)
    {
        if (PostgresQueryCompiler.CompileRequiredWords(query, now) is not { } required) return null;
        var (words, texts) = required;
        await using (var rarity = dataSource.CreateCommand(PostgresLiteral.Inline(
            """
            SELECT EXISTS (SELECT 1 FROM pg_stats s
                WHERE s.schemaname = current_schema() AND s.attname = 'tsv'
                  AND s.tablename = (SELECT d.tableoid::regclass::text FROM search_documents d WHERE d.account_id = @a LIMIT 1)
                  AND EXISTS (SELECT 1 FROM unnest(@texts) w
                      WHERE NOT (s.most_common_elems::text::text[] @> tsvector_to_array(to_tsvector(@lang::regconfig, w) || to_tsvector('simple', w)))))
            """, new Dictionary<string, object> { ["a"] = accountId, ["lang"] = Language, ["texts"] = texts })))
        {
            if (await rarity.ExecuteScalarAsync(ct) is not true) return null;
        }
        await using var command = dataSource.CreateCommand(words.Inline(
            "SELECT d.message_id FROM search_documents d WHERE d.account_id = @a AND " + words.Where + " LIMIT @cap",
            new Dictionary<string, object> { ["a"] = accountId, ["lang"] = Language, ["cap"] = CandidateCap }));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var ids = new List<long>();
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetInt64(0));
        return ids.Count < CandidateCap ? ids.ToArray() : null;
    }

    private string PageSql(CompiledQuery compiled, string accountId, int offset, int limit, bool relevance, long[]? candidates)
    {
        var named = new Dictionary<string, object> { ["a"] = accountId, ["lang"] = Language, ["limit"] = limit, ["offset"] = offset };
        var where = compiled.Where;
        if (candidates is not null)
        {
            named["candidates"] = candidates;
            where = $"d.message_id = ANY(@candidates) AND {where}";
        }
        var select = relevance && compiled.RankQuery is not null
            ? $"""
              SELECT d.message_id, ts_headline(@lang::regconfig, m.subject || ' — ' || m.preview, {compiled.RankQuery},
                  'StartSel={MarkStart}, StopSel={MarkEnd}, MaxWords=30, MinWords=12, MaxFragments=2')
              {From} AND {where}
              ORDER BY ts_rank_cd(d.tsv, {compiled.RankQuery}) DESC, d.internal_date DESC, d.message_id DESC LIMIT @limit OFFSET @offset
              """
            : $"""
              SELECT d.message_id, NULL {From} AND {where}
              ORDER BY d.internal_date DESC, d.message_id DESC LIMIT @limit OFFSET @offset
              """;
        return compiled.Inline(select, named);
    }

    /// <summary>HTML-escapes a ts_headline result and turns its markers into &lt;mark&gt;.</summary>
    public static string Highlight(string headline) =>
        WebUtility.HtmlEncode(headline).Replace(MarkStart.ToString(), "<mark>").Replace(MarkEnd.ToString(), "</mark>");
}
