using System.Globalization;
using System.Text;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Search.Query;

namespace Mail.Grains.Search.Azure;

/// <summary>
/// Translates a <see cref="SearchNode"/> to one OData <c>$filter</c> for Azure AI Search: words and phrases become
/// <c>search.ismatch</c> calls (Lucene syntax, escaped) so they combine with row attributes under any AND, OR and NOT;
/// the positive words also form the search text that ranks results by relevance.
/// </summary>
public static class AzureQueryTranslator
{
    /// <summary>The filter and the ranking text ("*" when the query has no positive words).</summary>
    public static (string Filter, string SearchText) Translate(string accountId, SearchNode query, DateTimeOffset now)
    {
        var words = new List<string>();
        var filter = $"AccountId eq {Literal(accountId)} and " + Node(query, false, now, words);
        if (!HasFolder(query)) filter += " and Folder ne 'trash' and Folder ne 'junk'";
        return (filter, words.Count == 0 ? "*" : string.Join(" ", words));
    }

    private static bool HasFolder(SearchNode node) => node switch
    {
        FolderNode => true,
        AndNode and => and.Children.Any(HasFolder),
        OrNode or => or.Children.Any(HasFolder),
        NotNode not => HasFolder(not.Child),
        _ => false,
    };

    private static string Node(SearchNode node, bool negated, DateTimeOffset now, List<string> words) => node switch
    {
        AndNode and => "(" + string.Join(" and ", and.Children.Select(c => Node(c, negated, now, words))) + ")",
        OrNode or => "(" + string.Join(" or ", or.Children.Select(c => Node(c, negated, now, words))) + ")",
        NotNode not => "not " + Node(not.Child, !negated, now, words),
        TextNode text => Text(text, negated, words),
        LabelNode label => $"Labels/any(l: l eq {Literal(label.Label.ToLowerInvariant())})",
        FolderNode { Folder: null } => "true",
        FolderNode folder => $"Folder eq {Literal(FolderName(folder.Folder))}",
        StateNode { State: MessageState.Unread } => $"not Flags/any(f: f eq {Literal(MessageFlags.Seen)})",
        StateNode { State: MessageState.Read } => $"Flags/any(f: f eq {Literal(MessageFlags.Seen)})",
        StateNode { State: MessageState.Starred } => $"Flags/any(f: f eq {Literal(MessageFlags.Flagged)})",
        StateNode { State: MessageState.Important } => $"Flags/any(f: f eq {Literal(Postgres.PostgresQueryCompiler.ImportantKeyword)})",
        StateNode => "HasAttachments eq true",
        SizeNode size => $"Size {(size.Larger ? "gt" : "lt")} {size.Bytes.ToString(CultureInfo.InvariantCulture)}",
        DateNode date => $"InternalDate {(date.After ? "ge" : "lt")} {date.Bound.Resolve(now).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}",
        MessageIdNode id => $"MessageIdHeader eq {Literal(id.MessageId)}",
        _ => throw new ArgumentOutOfRangeException(nameof(node), node, "Unknown search node"),
    };

    // in:sent, in:spam and in:trash name the special folders by their default names (Azure keeps no special-use attribute).
    private static string FolderName(string folder) => folder.ToLowerInvariant() switch
    {
        "spam" => "junk",
        var name => name,
    };

    private static string Text(TextNode text, bool negated, List<string> words)
    {
        var lucene = text.Phrase ? "\"" + Escape(text.Value, phrase: true) + "\"" : string.Join(" ", text.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => Escape(w, false)));
        var fields = text.Field switch
        {
            TextField.Any => "Subject,Body,From,To,Cc,AttachmentNames",
            TextField.Subject => "Subject",
            TextField.From => "From",
            TextField.To => "To",
            TextField.Cc => "Cc",
            TextField.Bcc => "Bcc",
            TextField.Filename => "AttachmentNames",
            TextField.List => "ListId",
            _ => "DeliveredTo",
        };
        if (!negated && text.Field is TextField.Any or TextField.Subject) words.Add(lucene);
        return $"search.ismatch({Literal(lucene)}, {Literal(fields)}, 'full', 'all')";
    }

    /// <summary>Escapes Lucene's special characters (inside a phrase only the quote and backslash).</summary>
    public static string Escape(string text, bool phrase)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            var special = phrase ? c is '"' or '\\' : "+-&|!(){}[]^\"~*?:\\/".Contains(c);
            if (special) builder.Append('\\');
            builder.Append(c);
        }
        return builder.ToString();
    }

    /// <summary>An OData string literal (quotes doubled).</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''") + "'";
}
