using System.Globalization;

namespace Mail.Grains.Search.Postgres;

/// <summary>
/// The statements of one page of results for each <see cref="SearchPlan"/>, every value inlined as a literal (the mail
/// data source prepares repeated statements with generic plans, which cannot see how selective a term is). Documents
/// are <c>search_documents d</c>, live rows <c>mailbox_messages m</c>; the first column is the message id, the second a
/// snippet (relevance only) or NULL.
/// </summary>
public static class PostgresPageSql
{
    // Snippet markers: control characters no mail text keeps, turned into <mark> after the text is HTML-escaped.
    /// <summary>Start of a highlighted match in a snippet.</summary>
    public const char MarkStart = '\u0001';

    /// <summary>End of a highlighted match in a snippet.</summary>
    public const char MarkEnd = '\u0002';

    private const string Newest = "ORDER BY d.internal_date DESC, d.message_id DESC";

    /// <summary>The whole query as one statement, planned by PostgreSQL (<see cref="SearchPlan.Planner"/>).</summary>
    public static string Planner(CompiledQuery query, string accountId, string language, int offset, int limit, bool relevance)
    {
        var (a, where) = (PostgresLiteral.Of(accountId), Where(query, accountId, language));
        var from = $"FROM search_documents d JOIN mailbox_messages m ON m.account_id = d.account_id AND m.message_id = d.message_id WHERE d.account_id = {a} AND m.account_id = {a} AND {where}";
        if (!relevance || query.RankQuery is null) return $"SELECT d.message_id, NULL {from} {Newest} {Page(offset, limit)}";
        var rank = query.Inline(query.RankQuery, Named(accountId, language));
        return $"""
            SELECT d.message_id, ts_headline({PostgresLiteral.Of(language)}::regconfig, m.subject || ' — ' || m.preview, {rank},
                'StartSel={MarkStart}, StopSel={MarkEnd}, MaxWords=30, MinWords=12, MaxFragments=2')
            {from}
            ORDER BY ts_rank_cd(d.tsv, {rank}) DESC, d.internal_date DESC, d.message_id DESC {Page(offset, limit)}
            """;
    }

    /// <summary>
    /// <see cref="SearchPlan.Walk"/>: the account's documents newest first through the date index (within
    /// <paramref name="range"/>), behind a fence (OFFSET 0) that keeps PostgreSQL from collecting the matches of a term
    /// it misjudges as rare and sorting them all; each document is tested, and joined with its row, until the page is full.
    /// With a <paramref name="budget"/> only that many of the newest documents are walked: a full page among them is
    /// the answer, a short one says nothing.
    /// </summary>
    public static string Walk(CompiledQuery query, CompiledQuery? range, string accountId, string language, int offset, int limit, int? budget = null)
    {
        var a = PostgresLiteral.Of(accountId);
        var within = range is null ? "" : " AND " + range.Inline(range.Where, Named(accountId, language));
        return $"""
            SELECT d.message_id, NULL
            FROM (SELECT * FROM search_documents d WHERE d.account_id = {a}{within} {Newest} {(budget is { } n ? $"LIMIT {n}" : "OFFSET 0")}) d
            JOIN mailbox_messages m ON m.account_id = {a} AND m.message_id = d.message_id
            WHERE {Where(query, accountId, language)} {Newest} {Page(offset, limit)}
            """;
    }

    /// <summary>
    /// <see cref="SearchPlan.Candidates"/>: the page from <paramref name="ids"/>, the required terms' matches newest
    /// first; only these are joined with their rows (and documents, when needed) and tested against
    /// <paramref name="rest"/>, the query without its required terms.
    /// </summary>
    public static string Candidates(CompiledQuery rest, IReadOnlyList<long> ids, string accountId, string language, int offset, int limit)
    {
        var a = PostgresLiteral.Of(accountId);
        var where = Where(rest, accountId, language);
        // The candidates match the required terms already: their documents are read only if the rest of the query needs them.
        var documents = where.Contains("d.", StringComparison.Ordinal)
            ? $"JOIN search_documents d ON d.account_id = {a} AND d.message_id = c.id"
            : "";
        return $"""
            SELECT c.id, NULL
            FROM unnest({PostgresLiteral.Of(ids.ToArray())}) WITH ORDINALITY c(id, n)
            {documents}
            JOIN mailbox_messages m ON m.account_id = {a} AND m.message_id = c.id
            WHERE {where} ORDER BY c.n {Page(offset, limit)}
            """;
    }

    /// <summary>
    /// The required terms' matches through their indexes: message id and date, at most <paramref name="cap"/>. With
    /// from: terms, the account's senders (search_senders, migration 0029) whose From text matches them all, and each
    /// such sender's documents newest first from the <c>(account_id, from_key, ...)</c> btree, tested against the other
    /// required terms: the cap bounds what is read, so no gate is asked. Otherwise, with <see cref="ProbeGate.Estimate"/>
    /// the same statement first asks PostgreSQL's row estimate of the lookup (search_estimate, migration 0022) and,
    /// when it exceeds the cap, answers one row of NULLs instead: walk.
    /// </summary>
    public static string Probe(RequiredTerms required, string accountId, string language, int cap, ProbeGate gate)
    {
        if (required.SenderPatterns.Length > 0) return SenderProbe(required, accountId, language, cap);
        var lookup = $"SELECT d.message_id, d.internal_date FROM search_documents d WHERE d.account_id = {PostgresLiteral.Of(accountId)} AND {required.Condition.Inline(required.Condition.Where, Named(accountId, language))}";
        if (gate == ProbeGate.None) return $"{lookup} LIMIT {cap}";
        return $"""
            WITH r AS MATERIALIZED (SELECT search_estimate({PostgresLiteral.Of(lookup)}) < {cap} AS probe)
            SELECT NULL::bigint, NULL::timestamptz FROM r WHERE NOT r.probe
            UNION ALL
            ({lookup} AND (SELECT r.probe FROM r) LIMIT {cap})
            """;
    }

    // A document's from_key is the MD5 of its From text, so a sender's documents are exactly those whose key is the sender's.
    private static string SenderProbe(RequiredTerms required, string accountId, string language, int cap)
    {
        var a = PostgresLiteral.Of(accountId);
        var senders = string.Join(" AND ", required.SenderPatterns.Select(p => $"s.from_text LIKE {PostgresLiteral.Of(p)}"));
        var others = required.WithoutSenders.Inline(required.WithoutSenders.Where, Named(accountId, language));
        return $"""
            SELECT x.message_id, x.internal_date FROM search_senders s
            CROSS JOIN LATERAL (SELECT d.message_id, d.internal_date FROM search_documents d
                WHERE d.account_id = {a} AND d.from_key = s.from_key AND {others} {Newest} LIMIT {cap}) x
            WHERE s.account_id = {a} AND {senders}
            LIMIT {cap}
            """;
    }

    /// <summary>The number of the account's documents matching the query, up to <paramref name="cap"/>.</summary>
    public static string Count(CompiledQuery query, string accountId, string language, int cap)
    {
        var a = PostgresLiteral.Of(accountId);
        return $"SELECT count(*) FROM (SELECT 1 FROM search_documents d JOIN mailbox_messages m ON m.account_id = d.account_id AND m.message_id = d.message_id " +
               $"WHERE d.account_id = {a} AND m.account_id = {a} AND {Where(query, accountId, language)} LIMIT {cap}) c";
    }

    private static Dictionary<string, object> Named(string accountId, string language) => new() { ["a"] = accountId, ["lang"] = language };

    private static string Where(CompiledQuery query, string accountId, string language) => "(" + query.Inline(query.Where, Named(accountId, language)) + ")";

    private static string Page(int offset, int limit) => string.Create(CultureInfo.InvariantCulture, $"LIMIT {limit} OFFSET {offset}");
}

/// <summary>What decides, before a probe reads matches, that they are dense enough to walk (<see cref="PostgresPageSql.Probe"/>).</summary>
public enum ProbeGate
{
    /// <summary>Nothing: always read the matches.</summary>
    None,

    /// <summary>PostgreSQL's row estimate of the lookup.</summary>
    Estimate,
}
