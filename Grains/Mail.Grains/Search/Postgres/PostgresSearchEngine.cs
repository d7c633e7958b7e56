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
        await using var batch = dataSource.CreateBatch();
        foreach (var document in documents)
        {
            var command = new NpgsqlBatchCommand(
                """
                INSERT INTO search_documents (account_id, message_id, internal_date, from_text, to_text, cc_text, bcc_text, list_text,
                    delivered_text, filenames, subject_tsv, tsv)
                SELECT @a, @id, @date, @from, @to, @cc, @bcc, @list, @delivered, @names, s, setweight(s, 'A')
                    || setweight(to_tsvector('simple', @words), 'B')
                    || setweight(to_tsvector(@lang::regconfig, @body) || to_tsvector('simple', @body), 'D')
                FROM (SELECT to_tsvector(@lang::regconfig, @subject) || to_tsvector('simple', @subject) AS s) subject
                ON CONFLICT (account_id, message_id) DO UPDATE SET internal_date = excluded.internal_date, from_text = excluded.from_text,
                    to_text = excluded.to_text, cc_text = excluded.cc_text, bcc_text = excluded.bcc_text, list_text = excluded.list_text,
                    delivered_text = excluded.delivered_text, filenames = excluded.filenames, subject_tsv = excluded.subject_tsv,
                    tsv = excluded.tsv, indexed_at = now()
                """);
            var p = command.Parameters;
            p.AddWithValue("a", document.AccountId);
            p.AddWithValue("id", document.MessageId);
            p.AddWithValue("date", document.InternalDate.UtcDateTime);
            p.AddWithValue("from", document.From.ToLowerInvariant());
            p.AddWithValue("to", string.Join(", ", document.To).ToLowerInvariant());
            p.AddWithValue("cc", string.Join(", ", document.Cc).ToLowerInvariant());
            p.AddWithValue("bcc", string.Join(", ", document.Bcc).ToLowerInvariant());
            p.AddWithValue("list", document.ListId.ToLowerInvariant());
            p.AddWithValue("delivered", document.DeliveredTo.ToLowerInvariant());
            p.AddWithValue("names", string.Join(" / ", document.AttachmentNames).ToLowerInvariant());
            p.AddWithValue("lang", Language);
            p.AddWithValue("subject", Clean(document.Subject));
            p.AddWithValue("words", Clean(SearchWords.Addresses(document) + " " + SearchWords.FileNames(document.AttachmentNames)));
            p.AddWithValue("body", Clean(document.Body));
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(ct);
    }

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
        await using var command = dataSource.CreateCommand("DELETE FROM search_documents WHERE account_id = @a AND message_id = ANY(@ids)");
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("ids", messageIds.ToArray());
        await command.ExecuteNonQueryAsync(ct);
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
    public async Task<EngineResult> SearchAsync(string accountId, SearchNode query, int offset, int limit, bool relevance, int totalCap, CancellationToken ct)
    {
        var compiled = PostgresQueryCompiler.Compile(query, clock.GetUtcNow());
        var ranked = relevance && compiled.RankQuery is not null;
        var select = ranked
            ? $"""
              SELECT d.message_id, ts_headline(@lang::regconfig, m.subject || ' — ' || m.preview, {compiled.RankQuery},
                  'StartSel={MarkStart}, StopSel={MarkEnd}, MaxWords=30, MinWords=12, MaxFragments=2')
              {From} AND {compiled.Where}
              ORDER BY ts_rank_cd(d.tsv, {compiled.RankQuery}) DESC, d.internal_date DESC, d.message_id DESC LIMIT @limit OFFSET @offset
              """
            : $"""
              SELECT d.message_id, NULL {From} AND {compiled.Where}
              ORDER BY d.internal_date DESC, d.message_id DESC LIMIT @limit OFFSET @offset
              """;
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command(select, accountId, compiled, (limit, offset)));
        batch.BatchCommands.Add(Command($"SELECT count(*) FROM (SELECT 1 {From} AND {compiled.Where} LIMIT @cap) c", accountId, compiled, null, totalCap + 1));
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var ids = new List<long>(limit);
        var snippets = new Dictionary<long, string>();
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetInt64(0);
            ids.Add(id);
            if (!reader.IsDBNull(1)) snippets[id] = Highlight(reader.GetString(1));
        }
        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        var total = reader.GetInt64(0);
        return new EngineResult(ids, snippets, Math.Min(total, totalCap), total <= totalCap);
    }

    private NpgsqlBatchCommand Command(string sql, string accountId, CompiledQuery compiled, (int Limit, int Offset)? page, int? cap = null)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("lang", Language);
        if (page is { } window)
        {
            command.Parameters.AddWithValue("limit", window.Limit);
            command.Parameters.AddWithValue("offset", window.Offset);
        }
        if (cap is { } c) command.Parameters.AddWithValue("cap", c);
        command.Parameters.AddRange(compiled.Parameters().ToArray());
        return command;
    }

    /// <summary>HTML-escapes a ts_headline result and turns its markers into &lt;mark&gt;.</summary>
    public static string Highlight(string headline) =>
        WebUtility.HtmlEncode(headline).Replace(MarkStart.ToString(), "<mark>").Replace(MarkEnd.ToString(), "</mark>");
}
