namespace Mail.Grains.Search.Postgres;

/// <summary>
/// A query compiled to SQL over <c>search_documents d</c> joined with the live row <c>mailbox_messages m</c>: the
/// condition, its values (named p0, p1, ...; @a is the account, @lang the text search configuration), and the tsquery
/// expression of its positive words for ranking and snippets (null when it has none).
/// </summary>
public sealed record CompiledQuery(string Where, IReadOnlyList<object> Values, string? RankQuery)
{
    /// <summary><paramref name="sql"/> (which uses this query's values and <paramref name="named"/> ones) with every value inlined.</summary>
    public string Inline(string sql, IReadOnlyDictionary<string, object> named)
    {
        var values = new Dictionary<string, object>(named);
        for (var i = 0; i < Values.Count; i++) values[$"p{i}"] = Values[i];
        return PostgresLiteral.Inline(sql, values);
    }
}
