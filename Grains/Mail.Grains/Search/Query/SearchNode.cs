namespace Mail.Grains.Search.Query;

/// <summary>A node of a parsed search query (the AST both engines compile).</summary>
public abstract record SearchNode;

/// <summary>All of the children match.</summary>
public sealed record AndNode(IReadOnlyList<SearchNode> Children) : SearchNode;

/// <summary>Any of the children matches (<c>a OR b</c>, <c>{a b}</c>).</summary>
public sealed record OrNode(IReadOnlyList<SearchNode> Children) : SearchNode;

/// <summary>The child does not match (<c>-a</c>).</summary>
public sealed record NotNode(SearchNode Child) : SearchNode;

/// <summary>Words or a quoted phrase in a text field (free text, from:, subject:, filename: ...).</summary>
public sealed record TextNode(TextField Field, string Value, bool Phrase) : SearchNode;

/// <summary><c>is:</c> and <c>has:attachment</c>: a state of the message row.</summary>
public sealed record StateNode(MessageState State) : SearchNode;

/// <summary><c>label:</c>: the message carries this label (exact, case-insensitive).</summary>
public sealed record LabelNode(string Label) : SearchNode;

/// <summary><c>in:</c>: the message is in this folder (<c>in:anywhere</c> is <see cref="Folder"/> null).</summary>
public sealed record FolderNode(string? Folder) : SearchNode;

/// <summary><c>larger:</c> (<see cref="Larger"/>) or <c>smaller:</c> than this many octets.</summary>
public sealed record SizeNode(long Bytes, bool Larger) : SearchNode;

/// <summary><c>after:</c>/<c>newer_than:</c> (<see cref="After"/>) or <c>before:</c>/<c>older_than:</c> an instant (UTC), on the received date.</summary>
public sealed record DateNode(DateBound Bound, bool After) : SearchNode;

/// <summary><c>rfc822msgid:</c>: the Message-ID header, without angle brackets.</summary>
public sealed record MessageIdNode(string MessageId) : SearchNode;

/// <summary>Which text a <see cref="TextNode"/> searches.</summary>
public enum TextField
{
    /// <summary>Free words: subject, bodies, attachment names and addresses.</summary>
    Any,
    /// <summary>From: name or address (substring).</summary>
    From,
    /// <summary>To: (substring).</summary>
    To,
    /// <summary>Cc: (substring).</summary>
    Cc,
    /// <summary>Bcc: (substring, as the message carries it).</summary>
    Bcc,
    /// <summary>Subject words.</summary>
    Subject,
    /// <summary>Attachment file names (substring).</summary>
    Filename,
    /// <summary>List-Id (substring).</summary>
    List,
    /// <summary>Delivered-To (substring).</summary>
    DeliveredTo,
}

/// <summary>States of a message row the query can test.</summary>
public enum MessageState
{
    /// <summary>Not \Seen.</summary>
    Unread,
    /// <summary>\Seen.</summary>
    Read,
    /// <summary>\Flagged.</summary>
    Starred,
    /// <summary>The $Important keyword (RFC 8457).</summary>
    Important,
    /// <summary>Has an attachment.</summary>
    HasAttachment,
}

/// <summary>
/// A date bound: a fixed instant (<c>after:2024/01/31</c>, midnight UTC) or an age (<c>older_than:2d</c>) turned into an
/// instant when the query runs, so a parsed query can be cached and stay right.
/// </summary>
public sealed record DateBound(DateTimeOffset? Instant, int Amount, char Unit)
{
    /// <summary>The instant this bound means at <paramref name="now"/>.</summary>
    public DateTimeOffset Resolve(DateTimeOffset now) => Instant ?? Unit switch
    {
        'h' => now.AddHours(-Amount),
        'd' => now.AddDays(-Amount),
        'w' => now.AddDays(-7 * Amount),
        'm' => now.AddMonths(-Amount),
        _ => now.AddYears(-Amount),
    };
}
