using System.Text;
using Mail.Frontends.Imap.Commands;
using Mail.Frontends.Imap.Protocol;

namespace Mail.Frontends.Imap.Session;

/// <summary>
/// The updating searches of the selected mailbox (CONTEXT=SEARCH, CONTEXT=SORT: RFC 5267 §4): SEARCH or SORT with
/// RETURN (UPDATE), kept current with unsolicited ESEARCH responses until CANCELUPDATE or the mailbox is closed.
/// A message that is expunged leaves with REMOVEFROM before its EXPUNGE (§4.3, so sequence numbers still name it);
/// after every replay of the change log the searches that saw a change run again and the difference goes out as
/// REMOVEFROM, then ADDTO (after EXISTS). With PARTIAL only the window of positions the client asked for is kept
/// current (§4.4). SEARCH updates carry position 0 (no order); SORT's ADDTO carries the position in sort order.
/// </summary>
public sealed class SearchUpdates
{
    private readonly List<Context> _contexts = new();

    /// <summary>How many searches are updating.</summary>
    public int Count => _contexts.Count;

    /// <summary>Whether <paramref name="tag"/> names an updating search (a new one may not reuse it, RFC 5267 §4.3).</summary>
    public bool Has(string tag) => _contexts.Exists(c => c.Tag == tag);

    /// <summary>The BAD answer to a SEARCH/SORT RETURN (UPDATE) that reuses the tag of an updating search.</summary>
    public static ImapResult TagInUse(string tag) => ImapResult.Bad($"Tag {tag} already names an updating search; CANCELUPDATE it first");

    /// <summary>
    /// Starts keeping a result current; over <see cref="ImapOptions.MaxSearchUpdates"/> the client is told with
    /// NO [NOUPDATE "tag"] (RFC 5267 §4.3) and gets no updates for it.
    /// </summary>
    public void Start(ImapSession session, string tag, bool uid, SearchReturn returns, (long Low, long High) partial, IEnumerable<long> result,
        SortCommand? sort, SearchKey criteria)
    {
        if (_contexts.Count >= session.Options.MaxSearchUpdates)
        {
            session.Untagged($"NO [NOUPDATE \"{tag}\"] Too many updating searches (at most {session.Options.MaxSearchUpdates})");
            return;
        }
        var context = new Context(tag, uid, returns.HasFlag(SearchReturn.Partial) ? partial : null, sort, criteria)
        {
            Uids = result.ToList(),
            EvaluatedAt = session.Selected!.LogPosition,
        };
        context.Shown = context.Window(context.Uids);
        _contexts.Add(context);
    }

    /// <summary>Ends the updates of <paramref name="tags"/>; false (nothing changed) when one of them is not updating.</summary>
    public bool Cancel(IReadOnlyList<string> tags)
    {
        if (!tags.All(Has)) return false;
        _contexts.RemoveAll(c => tags.Contains(c.Tag));
        return true;
    }

    /// <summary>Forgets every updating search (the mailbox was closed or another selected).</summary>
    public void Clear() => _contexts.Clear();

    /// <summary>
    /// Called before the EXPUNGE of the message with <paramref name="uid"/> at <paramref name="index"/> (0-based) is written:
    /// the searches that hold it announce its removal while its sequence number is still valid.
    /// </summary>
    public void BeforeExpunge(ImapSession session, long uid, int index)
    {
        foreach (var context in _contexts)
        {
            context.Uids.Remove(uid);
            // A message that slides into a PARTIAL window in its place is added by the refresh after the replay.
            if (context.Shown.Remove(uid)) session.Untagged(context.Head() + $" REMOVEFROM (0 {(context.Uid ? uid : index + 1)})");
        }
    }

    /// <summary>Runs again every search that has not seen the changes up to the session's position, and reports the difference.</summary>
    public async Task RefreshAsync(ImapSession session, CancellationToken ct)
    {
        var selected = session.Selected;
        if (selected is null) return;
        foreach (var context in _contexts.ToList())
        {
            if (context.EvaluatedAt == selected.LogPosition) continue;
            var now = context.Sort is { } sort
                ? (await SortHandler.SortedAsync(session, sort, ct)).Select(e => e.Uid).ToList()
                : (await SearchHandler.MatchingAsync(session, context.Criteria, ct)).Select(selected.UidAt).ToList();
            context.EvaluatedAt = selected.LogPosition;
            var before = context.Shown;
            var after = context.Window(now);
            context.Uids = now;
            context.Shown = after;
            // A message no longer in the view left with its EXPUNGE (BeforeExpunge); only a UID names it now.
            var removed = before.Where(u => !after.Contains(u) && (context.Uid || selected.IndexOfUid(u) >= 0)).ToList();
            var added = new List<(int Position, long Uid)>();
            for (var k = 0; k < now.Count; k++)
            {
                if (context.InWindow(k) && !before.Contains(now[k])) added.Add((k + 1, now[k]));
            }
            if (removed.Count == 0 && added.Count == 0) continue;
            var line = new StringBuilder(context.Head());
            long Number(long uid) => context.Uid ? uid : selected.IndexOfUid(uid) + 1;
            if (removed.Count > 0) line.Append(" REMOVEFROM (0 ").Append(SequenceSet.Format(removed.Select(Number).Order())).Append(')');
            if (context.Sort is null)
            {
                if (added.Count > 0) line.Append(" ADDTO (0 ").Append(SequenceSet.Format(added.Select(a => Number(a.Uid)).Order())).Append(')');
            }
            else
            {
                // RFC 5267 §4.3: each ADDTO names the position of its first message in the updated sort order; a run of
                // consecutive positions goes as one set in that order.
                for (var k = 0; k < added.Count;)
                {
                    var end = k + 1;
                    while (end < added.Count && added[end].Position == added[end - 1].Position + 1) end++;
                    line.Append(" ADDTO (").Append(added[k].Position).Append(' ')
                        .Append(string.Join(',', added.Skip(k).Take(end - k).Select(a => Number(a.Uid)))).Append(')');
                    k = end;
                }
            }
            session.Untagged(line.ToString());
        }
    }

    private sealed class Context(string tag, bool uid, (long Low, long High)? partial, SortCommand? sort, SearchKey criteria)
    {
        public string Tag { get; } = tag;

        public bool Uid { get; } = uid;

        public SortCommand? Sort { get; } = sort;

        public SearchKey Criteria { get; } = criteria;

        /// <summary>The result as the client knows it: UIDs in result order (ascending for SEARCH).</summary>
        public List<long> Uids { get; set; } = [];

        /// <summary>The UIDs of the result the client has been told of: those at the positions it follows.</summary>
        public HashSet<long> Shown { get; set; } = [];

        /// <summary>The session's log position when <see cref="Uids"/> was computed.</summary>
        public long EvaluatedAt { get; set; }

        public string Head() => $"ESEARCH (TAG \"{Tag}\")" + (Uid ? " UID" : "");

        /// <summary>Whether a 0-based position of the result is one the client follows (all of them without PARTIAL).</summary>
        public bool InWindow(int position) => partial is not { } range || position + 1 >= range.Low && position + 1 <= range.High;

        public HashSet<long> Window(List<long> uids) => uids.Where((_, k) => InWindow(k)).ToHashSet();
    }
}
