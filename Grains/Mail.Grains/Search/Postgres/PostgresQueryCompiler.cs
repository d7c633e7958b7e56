using System.Text;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Search.Query;

namespace Mail.Grains.Search.Postgres;

/// <summary>
/// Compiles a <see cref="SearchNode"/> to a PostgreSQL condition. Words match the tsvector (the configured language,
/// stemmed, or 'simple', exact); from:/to:/filename: ... match lower-cased header text by substring (trigram indexes);
/// labels, flags, folder, size and the message id are read from the live row, never from the index.
/// </summary>
public sealed class PostgresQueryCompiler
{
    private readonly List<object> _values = [];
    private readonly List<string> _rank = [];
    private readonly DateTimeOffset _now;

    private PostgresQueryCompiler(DateTimeOffset now) => _now = now;

    /// <summary>
    /// Compiles <paramref name="query"/>; relative dates are resolved at <paramref name="now"/>. With
    /// <paramref name="withoutRequired"/> the required terms (<see cref="CompileRequired"/>) are left out: the rest of
    /// the condition, for candidates already known to match them.
    /// </summary>
    public static CompiledQuery Compile(SearchNode query, DateTimeOffset now, bool withoutRequired = false)
    {
        var compiler = new PostgresQueryCompiler(now);
        var rest = withoutRequired ? TopLevel(query).Where(n => !IsRequired(n)).ToArray() : [query];
        var where = rest.Length == 0 ? "TRUE" : string.Join(" AND ", rest.Select(n => compiler.Node(n, negated: false)));
        // As in Gmail, Trash and Spam are searched only when the query names a folder (in:trash, in:anywhere).
        if (!HasFolder(query))
        {
            where = $"({where}) AND m.folder_id NOT IN (SELECT f.folder_id FROM mailbox_folders f WHERE f.account_id = @a AND f.special_use IN ('\\Trash', '\\Junk'))";
        }
        var rank = compiler._rank.Count == 0 ? null : "(" + string.Join(" || ", compiler._rank) + ")";
        return new CompiledQuery(where, compiler._values, rank);
    }

    /// <summary>
    /// The terms every match must satisfy that an index of <c>search_documents d</c> answers: the query's positive
    /// top-level words and phrases (GIN over the tsvectors) and from:, to: and filename: substrings (trigram GIN),
    /// compiled alone for a candidate lookup; null when there are none.
    /// </summary>
    public static RequiredTerms? CompileRequired(SearchNode query, DateTimeOffset now)
    {
        var terms = TopLevel(query).Where(IsRequired).Cast<TextNode>().ToArray();
        if (terms.Length == 0) return null;
        var compiler = new PostgresQueryCompiler(now);
        var where = string.Join(" AND ", terms.Select(t => compiler.Text(t, negated: false)));
        var others = terms.Where(t => t.Field != TextField.From).ToArray();
        var otherCompiler = new PostgresQueryCompiler(now);
        var otherWhere = others.Length == 0 ? "TRUE" : string.Join(" AND ", others.Select(t => otherCompiler.Text(t, negated: false)));
        return new RequiredTerms(new CompiledQuery(where, compiler._values, null),
            terms.Where(t => t.Field == TextField.Any).Select(t => t.Value).ToArray(),
            terms.All(t => t.Field == TextField.Any),
            terms.Where(t => t.Field == TextField.From).Select(t => Contains(t.Value)).ToArray(),
            new CompiledQuery(otherWhere, otherCompiler._values, null));
    }

    /// <summary>
    /// The query's top-level received-date bounds over <c>search_documents d</c> (they narrow a newest-first walk of the
    /// date index to its range), or null when it has none.
    /// </summary>
    public static CompiledQuery? CompileDateRange(SearchNode query, DateTimeOffset now)
    {
        var dates = TopLevel(query).OfType<DateNode>().ToArray();
        if (dates.Length == 0) return null;
        var compiler = new PostgresQueryCompiler(now);
        return new CompiledQuery(string.Join(" AND ", dates.Select(d => compiler.Node(d, negated: false))), compiler._values, null);
    }

    private static bool IsRequired(SearchNode node) =>
        node is TextNode { Field: TextField.Any or TextField.Subject or TextField.From or TextField.To or TextField.Filename };

    private static IReadOnlyList<SearchNode> TopLevel(SearchNode query) => query is AndNode and ? and.Children : [query];

    private static bool HasFolder(SearchNode node) => node switch
    {
        FolderNode => true,
        AndNode and => and.Children.Any(HasFolder),
        OrNode or => or.Children.Any(HasFolder),
        NotNode not => HasFolder(not.Child),
        _ => false,
    };

    private string Add(object value)
    {
        _values.Add(value);
        return $"@p{_values.Count - 1}";
    }

    private string Node(SearchNode node, bool negated) => node switch
    {
        AndNode and => "(" + string.Join(" AND ", and.Children.Select(c => Node(c, negated))) + ")",
        OrNode or => "(" + string.Join(" OR ", or.Children.Select(c => Node(c, negated))) + ")",
        NotNode not => "NOT " + Node(not.Child, !negated),
        TextNode text => Text(text, negated),
        LabelNode label => $"EXISTS (SELECT 1 FROM unnest(m.labels) l WHERE lower(l) = {Add(label.Label.ToLowerInvariant())})",
        FolderNode { Folder: null } => "TRUE",
        FolderNode folder => Folder(folder.Folder),
        StateNode state => State(state.State),
        SizeNode size => $"m.size {(size.Larger ? ">" : "<")} {Add(size.Bytes)}",
        DateNode date => $"d.internal_date {(date.After ? ">=" : "<")} {Add(date.Bound.Resolve(_now).UtcDateTime)}",
        MessageIdNode id => $"m.message_id_header = {Add(id.MessageId)}",
        _ => throw new ArgumentOutOfRangeException(nameof(node), node, "Unknown search node"),
    };

    private string Text(TextNode text, bool negated)
    {
        switch (text.Field)
        {
            case TextField.Any or TextField.Subject:
                var value = Add(text.Value);
                var function = text.Phrase ? "phraseto_tsquery" : "plainto_tsquery";
                var query = $"({function}(@lang::regconfig, {value}) || {function}('simple', {value}))";
                if (!negated) _rank.Add(query);
                return $"{(text.Field == TextField.Subject ? "d.subject_tsv" : "d.tsv")} @@ {query}";
            default:
                var column = text.Field switch
                {
                    TextField.From => "d.from_text",
                    TextField.To => "d.to_text",
                    TextField.Cc => "d.cc_text",
                    TextField.Bcc => "d.bcc_text",
                    TextField.Filename => "d.filenames",
                    TextField.List => "d.list_text",
                    _ => "d.delivered_text",
                };
                return $"{column} LIKE {Add(Contains(text.Value))}";
        }
    }

    /// <summary>A LIKE pattern for a lower-cased substring, its wildcards escaped.</summary>
    public static string Contains(string value)
    {
        var pattern = new StringBuilder("%");
        foreach (var c in value.ToLowerInvariant())
        {
            if (c is '%' or '_' or '\\') pattern.Append('\\');
            pattern.Append(c);
        }
        return pattern.Append('%').ToString();
    }

    // in:sent, in:spam and in:trash name the special-use folders (RFC 6154) whatever they are called; other names are folder names.
    private string Folder(string name)
    {
        var lower = name.ToLowerInvariant();
        var specialUse = lower switch
        {
            "spam" => "\\junk",
            "inbox" => "",
            _ => "\\" + lower,
        };
        return $"m.folder_id IN (SELECT f.folder_id FROM mailbox_folders f WHERE f.account_id = @a AND (lower(f.name) = {Add(lower)} OR lower(f.special_use) = {Add(specialUse)}))";
    }

    private string State(MessageState state) => state switch
    {
        MessageState.Unread => $"NOT (m.flags @> ARRAY[{Add(MessageFlags.Seen)}]::text[])",
        MessageState.Read => $"m.flags @> ARRAY[{Add(MessageFlags.Seen)}]::text[]",
        MessageState.Starred => $"m.flags @> ARRAY[{Add(MessageFlags.Flagged)}]::text[]",
        MessageState.Important => $"m.flags @> ARRAY[{Add(ImportantKeyword)}]::text[]",
        _ => "m.has_attachments",
    };

    /// <summary>The IMAP keyword of is:important (RFC 8457).</summary>
    public const string ImportantKeyword = "$Important";
}

/// <summary>
/// Terms every match satisfies that an index answers (<see cref="PostgresQueryCompiler.CompileRequired"/>): the
/// condition, the texts of its free words and phrases, whether it has nothing else (no subject: or substring term),
/// the LIKE patterns of its from: terms (matched against the account's senders, <c>search_senders</c>), and the
/// condition without them.
/// </summary>
public sealed record RequiredTerms(CompiledQuery Condition, string[] WordTexts, bool WordsOnly, string[] SenderPatterns, CompiledQuery WithoutSenders);
