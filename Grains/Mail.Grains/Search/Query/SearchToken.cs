namespace Mail.Grains.Search.Query;

/// <summary>One token of a search query, with its 1-based position.</summary>
public readonly record struct SearchToken(SearchTokenKind Kind, string Text, int Position)
{
    /// <summary>Position just after the token (for adjacency: <c>from:alice</c> has no space after the colon).</summary>
    public int End { get; init; }
}

/// <summary>Kinds of <see cref="SearchToken"/>.</summary>
public enum SearchTokenKind
{
    /// <summary>A bare word.</summary>
    Word,
    /// <summary>A quoted phrase (text without the quotes).</summary>
    Phrase,
    /// <summary>A known operator followed by a colon (text is the lower-case operator name).</summary>
    Operator,
    /// <summary><c>-</c> before a term.</summary>
    Not,
    /// <summary><c>OR</c> or <c>|</c>.</summary>
    Or,
    /// <summary><c>(</c>.</summary>
    Open,
    /// <summary><c>)</c>.</summary>
    Close,
    /// <summary><c>{</c>.</summary>
    OpenBrace,
    /// <summary><c>}</c>.</summary>
    CloseBrace,
}
