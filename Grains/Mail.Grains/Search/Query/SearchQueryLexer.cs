namespace Mail.Grains.Search.Query;

/// <summary>Splits a Gmail-style query into tokens: words, quoted phrases, <c>op:</c>, <c>-</c>, <c>OR</c>, brackets.</summary>
public static class SearchQueryLexer
{
    /// <summary>The operators the language knows; another <c>word:</c> is a plain word (as in Gmail: <c>10:30</c>).</summary>
    public static readonly IReadOnlySet<string> Operators = new HashSet<string>(StringComparer.Ordinal)
    {
        "from", "to", "cc", "bcc", "subject", "label", "in", "is", "has", "filename", "list", "deliveredto",
        "rfc822msgid", "larger", "smaller", "after", "before", "older_than", "newer_than", "older", "newer",
    };

    /// <summary>The tokens of <paramref name="query"/>; an unterminated phrase throws <see cref="SearchQueryException"/>.</summary>
    public static List<SearchToken> Tokenize(string query)
    {
        var tokens = new List<SearchToken>();
        var i = 0;
        while (i < query.Length)
        {
            var c = query[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            var start = i;
            switch (c)
            {
                case '(': tokens.Add(Single(SearchTokenKind.Open, "(", i++)); continue;
                case ')': tokens.Add(Single(SearchTokenKind.Close, ")", i++)); continue;
                case '{': tokens.Add(Single(SearchTokenKind.OpenBrace, "{", i++)); continue;
                case '}': tokens.Add(Single(SearchTokenKind.CloseBrace, "}", i++)); continue;
                case '|': tokens.Add(Single(SearchTokenKind.Or, "|", i++)); continue;
                case '"':
                    var close = query.IndexOf('"', i + 1);
                    if (close < 0) throw new SearchQueryException("Unterminated quoted phrase", start + 1);
                    tokens.Add(new SearchToken(SearchTokenKind.Phrase, query[(i + 1)..close], start + 1) { End = close + 2 });
                    i = close + 1;
                    continue;
                case '-' when AtTermStart(tokens, start) && (i + 1 == query.Length || query[i + 1] != '-'):
                    tokens.Add(Single(SearchTokenKind.Not, "-", i++));
                    continue;
            }
            while (i < query.Length && !char.IsWhiteSpace(query[i]) && query[i] is not ('(' or ')' or '{' or '}' or '"')) i++;
            var word = query[start..i];
            var colon = word.IndexOf(':');
            if (colon > 0 && Operators.Contains(word[..colon].ToLowerInvariant()))
            {
                tokens.Add(new SearchToken(SearchTokenKind.Operator, word[..colon].ToLowerInvariant(), start + 1) { End = start + colon + 2 });
                if (colon + 1 < word.Length)
                {
                    tokens.Add(new SearchToken(SearchTokenKind.Word, word[(colon + 1)..], start + colon + 2) { End = i + 1 });
                }
                continue;
            }
            var kind = word is "OR" ? SearchTokenKind.Or : SearchTokenKind.Word;
            tokens.Add(new SearchToken(kind, word, start + 1) { End = i + 1 });
        }
        return tokens;
    }

    private static SearchToken Single(SearchTokenKind kind, string text, int index) => new(kind, text, index + 1) { End = index + 2 };

    // A dash negates only where a term starts: "e-mail" and "2024-01-01" are words.
    private static bool AtTermStart(List<SearchToken> tokens, int index) =>
        tokens.Count == 0 || tokens[^1].End <= index || tokens[^1].Kind is SearchTokenKind.Open or SearchTokenKind.OpenBrace or SearchTokenKind.Not;
}
