namespace Mail.Grains.Search.Query;

/// <summary>A malformed search query: what is wrong and where (1-based character position).</summary>
public sealed class SearchQueryException(string reason, int position)
    : FormatException($"{reason} (at position {position}).")
{
    /// <summary>1-based position of the offending character in the query.</summary>
    public int Position { get; } = position;

    /// <summary>What is wrong, without the position.</summary>
    public string Reason { get; } = reason;
}
