using Npgsql;

namespace Mail.Grains.Search.Postgres;

/// <summary>
/// A query compiled to SQL over <c>search_documents d</c> joined with the live row <c>mailbox_messages m</c>: the
/// condition, its parameter values (named p0, p1, ...; @a is the account, @lang the text search configuration), and the
/// tsquery expression of its positive words for ranking and snippets (null when it has none).
/// </summary>
public sealed record CompiledQuery(string Where, IReadOnlyList<object> Values, string? RankQuery)
{
    /// <summary>Fresh parameters for one command (a parameter belongs to one command).</summary>
    public IEnumerable<NpgsqlParameter> Parameters() =>
        Values.Select((value, i) => new NpgsqlParameter($"p{i}", value));
}
