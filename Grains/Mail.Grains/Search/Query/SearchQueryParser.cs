using System.Globalization;

namespace Mail.Grains.Search.Query;

/// <summary>
/// Parses Gmail's search language into a <see cref="SearchNode"/> tree: words and <c>"phrases"</c> (all must match),
/// <c>-</c> negation, <c>OR</c> (binds tighter than the implicit AND, as in Gmail), <c>( )</c> grouping, <c>{ }</c> (any of),
/// and the operators of <see cref="SearchQueryLexer.Operators"/>, whose value may be a word, a phrase or a group
/// (<c>from:(alice OR bob)</c>). Every refusal is a <see cref="SearchQueryException"/> with a position.
/// </summary>
public sealed class SearchQueryParser
{
    private readonly List<SearchToken> _tokens;
    private readonly string _query;
    private readonly int _maxTerms;
    private int _index;
    private int _terms;
    private int _depth;

    /// <summary>Deepest nesting of brackets and negations accepted.</summary>
    public const int MaxDepth = 16;

    private SearchQueryParser(string query, int maxTerms)
    {
        _query = query;
        _maxTerms = maxTerms;
        _tokens = SearchQueryLexer.Tokenize(query);
    }

    /// <summary>Parses <paramref name="query"/>; at most <paramref name="maxTerms"/> terms.</summary>
    public static SearchNode Parse(string query, int maxTerms = 64)
    {
        var parser = new SearchQueryParser(query, maxTerms);
        if (parser._tokens.Count == 0) throw new SearchQueryException("The query is empty", 1);
        var node = parser.ParseAnd(null);
        if (parser._index < parser._tokens.Count)
        {
            var stray = parser._tokens[parser._index];
            throw new SearchQueryException($"Unexpected '{stray.Text}' with no opening bracket", stray.Position);
        }
        return node;
    }

    private SearchToken? Peek => _index < _tokens.Count ? _tokens[_index] : null;

    private int EndPosition => _query.Length + 1;

    // Gmail reads "a b OR c" as "a AND (b OR c)": OR joins the terms next to it, not whole conjunctions.
    private SearchNode ParseAnd(string? field)
    {
        var children = new List<SearchNode>();
        while (Peek is { } token && token.Kind is not (SearchTokenKind.Close or SearchTokenKind.CloseBrace))
        {
            if (token.Kind == SearchTokenKind.Or)
            {
                if (children.Count == 0) throw new SearchQueryException("OR needs a term before it", token.Position);
                _index++;
                if (Peek is null or { Kind: SearchTokenKind.Close or SearchTokenKind.CloseBrace or SearchTokenKind.Or })
                {
                    throw new SearchQueryException("OR needs a term after it", token.Position);
                }
                var right = ParseUnary(field);
                children[^1] = children[^1] is OrNode left ? new OrNode([.. left.Children, right]) : new OrNode([children[^1], right]);
                continue;
            }
            children.Add(ParseUnary(field));
        }
        if (children.Count == 0)
        {
            throw new SearchQueryException("Expected a search term", Peek?.Position ?? EndPosition);
        }
        return children.Count == 1 ? children[0] : new AndNode(children);
    }

    private SearchNode ParseUnary(string? field)
    {
        var token = Peek!.Value;
        if (token.Kind != SearchTokenKind.Not) return ParsePrimary(field);
        _index++;
        if (Peek is not { } next || next.Position != token.End || next.Kind is SearchTokenKind.Close or SearchTokenKind.CloseBrace or SearchTokenKind.Or)
        {
            throw new SearchQueryException("'-' needs a term right after it", token.Position);
        }
        Enter(token);
        var child = ParseUnary(field);
        _depth--;
        return new NotNode(child);
    }

    private SearchNode ParsePrimary(string? field)
    {
        var token = Peek!.Value;
        _index++;
        switch (token.Kind)
        {
            case SearchTokenKind.Open:
                return Group(token, field, SearchTokenKind.Close, ")");
            case SearchTokenKind.OpenBrace:
                var inner = Group(token, field, SearchTokenKind.CloseBrace, "}");
                return inner switch
                {
                    AndNode and => new OrNode(and.Children),
                    _ => inner,
                };
            case SearchTokenKind.Operator:
                if (field is not null) throw new SearchQueryException($"'{token.Text}:' cannot be used inside '{field}:'", token.Position);
                if (Peek is not { } value || value.Position != token.End || value.Kind is SearchTokenKind.Close or SearchTokenKind.CloseBrace)
                {
                    throw new SearchQueryException($"'{token.Text}:' needs a value right after the colon", token.Position);
                }
                if (value.Kind is SearchTokenKind.Open or SearchTokenKind.OpenBrace) return ParsePrimary(token.Text);
                if (value.Kind is not (SearchTokenKind.Word or SearchTokenKind.Phrase or SearchTokenKind.Or))
                {
                    throw new SearchQueryException($"'{token.Text}:' needs a value right after the colon", token.Position);
                }
                _index++;
                return Term(token.Text, value);
            case SearchTokenKind.Word or SearchTokenKind.Phrase:
                return Term(field, token);
            default:
                throw new SearchQueryException($"Unexpected '{token.Text}'", token.Position);
        }
    }

    private SearchNode Group(SearchToken open, string? field, SearchTokenKind closeKind, string close)
    {
        Enter(open);
        if (Peek is { } first && first.Kind == closeKind) throw new SearchQueryException($"Empty '{open.Text}{close}'", open.Position);
        var node = ParseAnd(field);
        if (Peek is not { } end || end.Kind != closeKind)
        {
            throw new SearchQueryException($"'{open.Text}' is never closed with '{close}'", open.Position);
        }
        _index++;
        _depth--;
        return node;
    }

    private void Enter(SearchToken token)
    {
        if (++_depth > MaxDepth) throw new SearchQueryException($"Nested deeper than {MaxDepth} levels", token.Position);
    }

    private SearchNode Term(string? field, SearchToken value)
    {
        if (++_terms > _maxTerms) throw new SearchQueryException($"More than {_maxTerms} search terms", value.Position);
        var phrase = value.Kind == SearchTokenKind.Phrase;
        var text = value.Text.Trim();
        if (text.Length == 0) throw new SearchQueryException("Empty phrase", value.Position);
        return field switch
        {
            null => new TextNode(TextField.Any, text, phrase),
            "from" => new TextNode(TextField.From, text, phrase),
            "to" => new TextNode(TextField.To, text, phrase),
            "cc" => new TextNode(TextField.Cc, text, phrase),
            "bcc" => new TextNode(TextField.Bcc, text, phrase),
            "subject" => new TextNode(TextField.Subject, text, phrase),
            "filename" => new TextNode(TextField.Filename, text, phrase),
            "list" => new TextNode(TextField.List, text, phrase),
            "deliveredto" => new TextNode(TextField.DeliveredTo, text, phrase),
            "label" => new LabelNode(text),
            "in" => new FolderNode(text.Equals("anywhere", StringComparison.OrdinalIgnoreCase) ? null : text),
            "is" => State(text, value),
            "has" => text.ToLowerInvariant() is "attachment" or "attachments"
                ? new StateNode(MessageState.HasAttachment)
                : throw new SearchQueryException($"Unknown 'has:{text}' (has:attachment is supported)", value.Position),
            "rfc822msgid" => new MessageIdNode(text.Trim('<', '>')),
            "larger" => new SizeNode(Size(text, value), Larger: true),
            "smaller" => new SizeNode(Size(text, value), Larger: false),
            "after" or "newer" => new DateNode(new DateBound(Date(text, value), 0, 'd'), After: true),
            "before" or "older" => new DateNode(new DateBound(Date(text, value), 0, 'd'), After: false),
            "newer_than" => new DateNode(Age(text, value), After: true),
            "older_than" => new DateNode(Age(text, value), After: false),
            _ => throw new SearchQueryException($"Unknown operator '{field}:'", value.Position),
        };
    }

    private static StateNode State(string text, SearchToken value) => text.ToLowerInvariant() switch
    {
        "unread" => new StateNode(MessageState.Unread),
        "read" => new StateNode(MessageState.Read),
        "starred" or "flagged" => new StateNode(MessageState.Starred),
        "important" => new StateNode(MessageState.Important),
        _ => throw new SearchQueryException($"Unknown 'is:{text}' (is:unread, read, starred or important)", value.Position),
    };

    /// <summary>Octets in <c>10</c>, <c>10K</c>, <c>10M</c>, <c>1G</c> (binary multiples, as Gmail).</summary>
    private static long Size(string text, SearchToken value)
    {
        var unit = char.ToUpperInvariant(text[^1]);
        var multiplier = unit switch { 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, _ => 1L };
        var digits = multiplier == 1 ? text : text[..^1];
        if (digits.EndsWith('B') || digits.EndsWith('b')) digits = digits[..^1];
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > long.MaxValue / multiplier)
        {
            throw new SearchQueryException($"'{text}' is not a size (like 500K, 10M or 1G)", value.Position);
        }
        return number * multiplier;
    }

    private static readonly string[] DateFormats = ["yyyy/M/d", "yyyy-M-d", "yyyy/MM/dd", "yyyy-MM-dd"];

    /// <summary>A date (<c>2024/01/31</c>, <c>2024-01-31</c>) as midnight UTC, or seconds since the epoch.</summary>
    private static DateTimeOffset Date(string text, SearchToken value)
    {
        if (DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
        {
            return new DateTimeOffset(date, TimeSpan.Zero);
        }
        if (text.Length >= 9 && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds < 253402300800)
        {
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        }
        throw new SearchQueryException($"'{text}' is not a date (like 2024/01/31)", value.Position);
    }

    /// <summary>An age: a number and h, d, w, m (months) or y.</summary>
    private static DateBound Age(string text, SearchToken value)
    {
        var unit = char.ToLowerInvariant(text[^1]);
        if (unit is not ('h' or 'd' or 'w' or 'm' or 'y') || !int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
            || amount > 10_000)
        {
            throw new SearchQueryException($"'{text}' is not an age (like 2d, 3w, 6m or 1y)", value.Position);
        }
        return new DateBound(null, amount, unit);
    }
}
