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
    /// <inheritdoc />
    public bool MirrorsRows => false;

    private string Language => options.Value.Language;

    /// <inheritdoc />
    public async Task IndexAsync(IReadOnlyList<SearchDocument> documents, CancellationToken ct)
    {
        if (documents.Count == 0) return;
        // One statement for the whole batch (rows as parallel arrays): one parse and plan instead of one per document.
        // A document given twice is written once (ON CONFLICT cannot touch one row twice in a statement). Each
        // document's sender joins the account's dictionary of senders in the same statement (migration 0029).
        var unique = documents.GroupBy(d => (d.AccountId, d.MessageId)).Select(g => g.Last()).ToArray();
        await using var command = new NpgsqlCommand(
            """
            WITH senders AS (
                INSERT INTO search_senders (account_id, from_key, from_text)
                SELECT DISTINCT u.account_id, md5(u.from_text)::uuid, u.from_text FROM unnest(@accounts, @froms) AS u(account_id, from_text)
                ON CONFLICT DO NOTHING)
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
               AND NOT EXISTS (SELECT 1 FROM mailbox_messages m WHERE m.account_id = @a AND m.message_id = d.message_id);
            DELETE FROM search_senders s WHERE s.account_id = @a
               AND NOT EXISTS (SELECT 1 FROM search_documents d WHERE d.account_id = @a AND d.from_key = s.from_key)
            """);
        command.Parameters.AddWithValue("a", accountId);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <inheritdoc />
    public async Task<EngineResult> SearchAsync(string accountId, SearchNode query, int offset, int limit, bool relevance, int? countCap, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var compiled = PostgresQueryCompiler.Compile(query, now);
        var ids = new List<long>(limit);
        var snippets = new Dictionary<long, string>();
        if (relevance)
        {
            await ReadPageAsync(PostgresPageSql.Planner(compiled, accountId, Language, offset, limit, relevance: true), ids, snippets, ct);
        }
        else
        {
            ids = (await PageAsync(accountId, query, offset, limit, SearchPlan.Auto, null, ct)).Ids;
        }
        if (countCap is not { } cap) return new EngineResult(ids, snippets, null, false);
        await using var count = dataSource.CreateCommand(PostgresPageSql.Count(compiled, accountId, Language, cap + 1));
        var total = (long)(await count.ExecuteScalarAsync(ct))!;
        return new EngineResult(ids, snippets, Math.Min(total, cap), total <= cap);
    }

    /// <summary>
    /// One newest-first page of <paramref name="query"/> read with <paramref name="plan"/> (<see cref="SearchPlan.Auto"/>:
    /// the engine's choice, see <see cref="ChoosePlanAsync"/>), and the plan that ran. Every plan returns the same ids;
    /// the tests compare them, the bench EXPLAINs the <paramref name="statements"/> it ran when given a list.
    /// </summary>
    public async Task<(List<long> Ids, SearchPlan Plan)> PageAsync(string accountId, SearchNode query, int offset, int limit, SearchPlan plan,
        List<string>? statements, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var compiled = PostgresQueryCompiler.Compile(query, now);
        var required = PostgresQueryCompiler.CompileRequired(query, now);
        long[]? candidates = null;
        var ids = new List<long>(limit);
        if (plan == SearchPlan.Auto)
        {
            // Free words first walk a bounded stretch of the newest documents: a full page there is the answer.
            if (required is { WordsOnly: true })
            {
                await ReadPageAsync(PostgresPageSql.Walk(compiled, PostgresQueryCompiler.CompileDateRange(query, now), accountId, Language, offset, limit,
                    options.Value.WalkBudget), ids, null, ct, statements);
                if (ids.Count == limit) return (ids, SearchPlan.Walk);
                ids.Clear();
            }
            (plan, candidates) = await ChoosePlanAsync(accountId, required, statements, ct);
        }
        else if (plan == SearchPlan.Candidates)
        {
            if (required is null) throw new ArgumentException("A query without required indexed terms has no candidates.", nameof(plan));
            candidates = await ProbeAsync(accountId, required, int.MaxValue, ProbeGate.None, statements, ct) ?? [];
        }
        switch (plan)
        {
            case SearchPlan.Planner:
                await ReadPageAsync(PostgresPageSql.Planner(compiled, accountId, Language, offset, limit, relevance: false), ids, null, ct, statements);
                break;
            case SearchPlan.Walk:
                await ReadPageAsync(PostgresPageSql.Walk(compiled, PostgresQueryCompiler.CompileDateRange(query, now), accountId, Language, offset, limit), ids, null, ct, statements);
                break;
            default:
                var rest = PostgresQueryCompiler.Compile(query, now, withoutRequired: true);
                // Only a prefix of the candidates is joined with its rows: twice what the page needs, then four times more
                // while the row filters (labels, flags, folder) leave the page short, then all of them.
                for (var window = 2 * (offset + limit); ; window *= 4)
                {
                    ids.Clear();
                    var prefix = candidates!.Length <= window ? candidates : candidates[..window];
                    if (prefix.Length > 0) await ReadPageAsync(PostgresPageSql.Candidates(rest, prefix, accountId, Language, offset, limit), ids, null, ct, statements);
                    if (ids.Count == limit || prefix.Length == candidates.Length) break;
                }
                break;
        }
        return (ids, plan);
    }

    /// <summary>
    /// Newest first, PostgreSQL either walks the date index testing each document until the page is full (quick when
    /// matches are many) or collects every match through a GIN index and sorts them (quick when they are few), and it
    /// chooses by an estimate that fails both ways: a word it has no statistics for looks common (so it walks a whole
    /// mailbox for a name or a code), the words of a phrase look independent (6,737 matches of "marketing launch plan"
    /// estimated at 60, all collected, joined with their rows and sorted), a sender's substring looks rarer than it is.
    /// So the engine decides. Free words first walk the newest <see cref="SearchOptions.WalkBudget"/> documents (in
    /// <see cref="PageAsync"/>); when that does not fill the page, and for other required terms, it probes: their
    /// matches are read through their indexes, at most <see cref="SearchOptions.CandidateCap"/>; none is an empty
    /// answer, up to the cap are the candidates, more means matches are dense enough to walk. Substring terms that
    /// PostgreSQL expects to match more than the cap walk without reading them (decided in the same statement). No
    /// required term: PostgreSQL plans.
    /// </summary>
    private async Task<(SearchPlan Plan, long[]? Candidates)> ChoosePlanAsync(string accountId, RequiredTerms? required, List<string>? statements, CancellationToken ct)
    {
        if (required is null) return (SearchPlan.Planner, null);
        var gate = required.WordsOnly ? ProbeGate.None : ProbeGate.Estimate;
        var candidates = await ProbeAsync(accountId, required, options.Value.CandidateCap, gate, statements, ct);
        return candidates is null ? (SearchPlan.Walk, null) : (SearchPlan.Candidates, candidates);
    }

    // The required terms' matches newest first; null when there are more than cap, or the gate found them dense.
    private async Task<long[]?> ProbeAsync(string accountId, RequiredTerms required, int cap, ProbeGate gate, List<string>? statements, CancellationToken ct)
    {
        var sql = PostgresPageSql.Probe(required, accountId, Language, cap == int.MaxValue ? cap : cap + 1, gate);
        statements?.Add(sql);
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var found = new List<(long Id, DateTime Date)>();
        while (await reader.ReadAsync(ct))
        {
            if (reader.IsDBNull(0)) return null;
            found.Add((reader.GetInt64(0), reader.GetDateTime(1)));
        }
        if (cap != int.MaxValue && found.Count > cap) return null;
        found.Sort((x, y) => x.Date != y.Date ? y.Date.CompareTo(x.Date) : y.Id.CompareTo(x.Id));
        return found.Select(f => f.Id).ToArray();
    }

    private async Task ReadPageAsync(string sql, List<long> ids, Dictionary<long, string>? snippets, CancellationToken ct, List<string>? statements = null)
    {
        statements?.Add(sql);
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetInt64(0);
            ids.Add(id);
            if (snippets is not null && !reader.IsDBNull(1)) snippets[id] = Highlight(reader.GetString(1));
        }
    }

    /// <summary>HTML-escapes a ts_headline result and turns its markers into &lt;mark&gt;.</summary>
    public static string Highlight(string headline) =>
        WebUtility.HtmlEncode(headline).Replace(PostgresPageSql.MarkStart.ToString(), "<mark>").Replace(PostgresPageSql.MarkEnd.ToString(), "</mark>");
}
