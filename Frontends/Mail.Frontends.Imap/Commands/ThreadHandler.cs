using System.Text;
using Mail.Frontends.Imap.Mime;
using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Mime;
using MimeKit.Utils;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// THREAD and UID THREAD (RFC 5256 §3): ORDEREDSUBJECT groups by base subject; REFERENCES links messages by
/// Message-ID, References and In-Reply-To (read from the stored header), prunes empty containers and orders
/// threads and siblings by sent date, then merges root threads by base subject (RFC 5256 REFERENCES step 5). REFS (THREAD=REFS,
/// draft-ietf-morg-inthread §4 as Dovecot implements it) links the same way but merges no subjects, dates messages by their
/// internal date and orders threads by their newest message, so the thread with the latest activity comes last.
/// </summary>
public sealed class ThreadHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["THREAD"];

    /// <inheritdoc />
    public ImapState States => ImapState.Selected;


    /// <inheritdoc />
    public async Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        var thread = (ThreadCommand)command;
        if (!SearchHandler.IsSupportedCharset(thread.Charset)) return SearchHandler.BadCharset();
        var states = new Dictionary<int, MessageState>();
        var matches = await SearchHandler.MatchingAsync(session, thread.Search, ct, MessageDetail.Slot, (index, state) => states[index] = state);
        var summaries = await session.SummariesAsync(states.Values);
        var nodes = new List<Node>(matches.Count);
        foreach (var index in matches)
        {
            var state = states[index];
            var summary = summaries.GetValueOrDefault(state.MessageId);
            var number = thread.Uid ? state.Uid : index + 1;
            var date = thread.Algorithm == ThreadAlgorithm.Refs ? state.InternalDate : SortHandler.SentDate(state, summary);
            nodes.Add(new Node { Index = index, Number = number, Date = date, Subject = summary?.Subject });
        }
        var roots = thread.Algorithm == ThreadAlgorithm.OrderedSubject
            ? OrderedSubject(nodes)
            : await ReferencesAsync(session, states, nodes, mergeSubjects: thread.Algorithm == ThreadAlgorithm.References, ct);
        if (thread.Algorithm == ThreadAlgorithm.Refs)
        {
            roots = roots.Select(r => (Root: r, Latest: Latest(r))).OrderBy(p => p.Latest.Date).ThenBy(p => p.Latest.Index).Select(p => p.Root).ToList();
        }
        var builder = new StringBuilder("THREAD");
        if (roots.Count > 0) builder.Append(' ');
        foreach (var root in roots) Format(builder.Append('('), root).Append(')');
        session.Untagged(builder.ToString());
        return ImapResult.Ok("THREAD completed");
    }

    /// <summary>Formats a thread member and its descendants (RFC 5256 §4): one child follows after a space, several are parenthesized.</summary>
    public static StringBuilder Format(StringBuilder builder, Node node)
    {
        if (node.Number is { } number)
        {
            builder.Append(number);
            if (node.Children.Count == 0) return builder;
            builder.Append(' ');
            if (node.Children.Count == 1) return Format(builder, node.Children[0]);
        }
        foreach (var child in node.Children) Format(builder.Append('('), child).Append(')');
        return builder;
    }

    private static List<Node> OrderedSubject(List<Node> nodes)
    {
        var roots = new List<Node>();
        foreach (var group in nodes.GroupBy(n => BaseSubject.Key(n.Subject)))
        {
            var ordered = group.OrderBy(n => n.Date).ThenBy(n => n.Index).ToList();
            var root = ordered[0];
            foreach (var child in ordered.Skip(1)) root.Children.Add(child);
            roots.Add(root);
        }
        return roots.OrderBy(n => n.Date).ThenBy(n => n.Index).ToList();
    }

    /// <summary>The newest message of a thread (date, then the later position), which orders REFS threads.</summary>
    private static (DateTimeOffset Date, int Index) Latest(Node node)
    {
        var latest = node.Number is null ? (DateTimeOffset.MinValue, -1) : (node.Date, node.Index);
        foreach (var child in node.Children)
        {
            var candidate = Latest(child);
            if (candidate.CompareTo(latest) > 0) latest = candidate;
        }
        return latest;
    }

    private static async Task<List<Node>> ReferencesAsync(ImapSession session, Dictionary<int, MessageState> states, List<Node> messages,
        bool mergeSubjects, CancellationToken ct)
    {
        var byId = new Dictionary<string, Node>(StringComparer.Ordinal);
        var all = new List<Node>();
        Node Container(string id)
        {
            if (!byId.TryGetValue(id, out var node))
            {
                node = new Node();
                byId[id] = node;
                all.Add(node);
            }
            return node;
        }

        for (var position = 0; position < messages.Count; position++)
        {
            var message = messages[position];
            await session.PrefetchChunkAsync(messages, position, m => states[m.Index]);
            var loaded = await session.LoadMessageAsync(states[message.Index], ContentNeed.CachedFields, ct);
            string? Header(string name) => loaded is null ? null : MimeStructure.HeaderValue(loaded.Bytes.Span, loaded.Root, name);
            var id = Header("Message-ID") is { } idText ? MimeUtils.EnumerateReferences(idText).FirstOrDefault() : null;
            Node container;
            if (id is not null && (!byId.TryGetValue(id, out var existing) || existing.Number is null))
            {
                container = Container(id);
            }
            else
            {
                // No or a duplicate Message-ID: the message stands on its own container.
                container = new Node();
                all.Add(container);
            }
            container.Index = message.Index;
            container.Number = message.Number;
            container.Date = message.Date;
            container.Subject = message.Subject;
            var references = Header("References") is { } refs ? MimeUtils.EnumerateReferences(refs).ToList() : [];
            if (references.Count == 0 && Header("In-Reply-To") is { } inReplyTo && MimeUtils.EnumerateReferences(inReplyTo).FirstOrDefault() is { } parentId)
            {
                references.Add(parentId);
            }
            for (var i = 0; i + 1 < references.Count; i++)
            {
                var parent = Container(references[i]);
                var child = Container(references[i + 1]);
                if (child.Parent is null && parent != child && !IsAncestor(child, parent)) Link(parent, child);
            }
            Unlink(container);
            if (references.Count > 0)
            {
                var parent = Container(references[^1]);
                if (parent != container && !IsAncestor(container, parent)) Link(parent, container);
            }
        }
        var roots = Prune(all.Where(n => n.Parent is null).ToList(), isRoot: true);
        SortSiblings(roots);
        if (!mergeSubjects) return roots;
        roots = MergeBySubject(roots);
        SortSiblings(roots);
        return roots;
    }

    /// <summary>
    /// RFC 5256 §2.6 step 5: threads at the root with the same base subject are gathered, a dummy absorbing
    /// the others, a reply going under the original, and two originals under a new dummy.
    /// </summary>
    private static List<Node> MergeBySubject(List<Node> roots)
    {
        static string? SubjectOf(Node node) => node.Number is null && node.Children.Count > 0 ? node.Children[0].Subject : node.Subject;
        var table = new Dictionary<string, Node>(StringComparer.Ordinal);
        foreach (var root in roots)
        {
            var key = BaseSubject.Key(SubjectOf(root));
            if (key.Length == 0) continue;
            if (!table.TryGetValue(key, out var current)
                || current.Number is not null && root.Number is null
                || BaseSubject.IsReplyOrForward(SubjectOf(current)) && !BaseSubject.IsReplyOrForward(SubjectOf(root)) && root.Number is not null && current.Number is not null)
            {
                table[key] = root;
            }
        }
        var merged = new List<Node>();
        foreach (var root in roots)
        {
            var key = BaseSubject.Key(SubjectOf(root));
            if (key.Length == 0 || !table.TryGetValue(key, out var entry) || entry == root)
            {
                if (!merged.Contains(root)) merged.Add(root);
                continue;
            }
            if (entry.Number is null && root.Number is null)
            {
                foreach (var child in root.Children.ToList()) Link(entry, child);
            }
            else if (entry.Number is null)
            {
                Link(entry, root);
            }
            else if (root.Number is null)
            {
                // Cannot happen after the table prefers dummies; kept total for safety.
                Link(root, entry);
                merged.Remove(entry);
                table[key] = root;
                merged.Add(root);
            }
            else if (!BaseSubject.IsReplyOrForward(SubjectOf(entry)) && BaseSubject.IsReplyOrForward(SubjectOf(root)))
            {
                Link(entry, root);
            }
            else
            {
                var dummy = new Node();
                var position = merged.IndexOf(entry);
                Link(dummy, entry);
                Link(dummy, root);
                table[key] = dummy;
                if (position >= 0) merged[position] = dummy;
                else merged.Add(dummy);
                continue;
            }
            if (!merged.Contains(entry) && table[key] == entry) merged.Add(entry);
        }
        return merged;
    }

    /// <summary>Whether <paramref name="ancestor"/> is <paramref name="node"/> or above it.</summary>
    private static bool IsAncestor(Node ancestor, Node node)
    {
        for (var n = node; n is not null; n = n.Parent)
        {
            if (n == ancestor) return true;
        }
        return false;
    }

    private static void Link(Node parent, Node child)
    {
        Unlink(child);
        child.Parent = parent;
        parent.Children.Add(child);
    }

    private static void Unlink(Node node)
    {
        node.Parent?.Children.Remove(node);
        node.Parent = null;
    }

    /// <summary>Drops empty containers without children and promotes the children of the others, except a root one with several.</summary>
    private static List<Node> Prune(List<Node> siblings, bool isRoot)
    {
        var kept = new List<Node>();
        foreach (var node in siblings)
        {
            var children = Prune(node.Children, isRoot: false);
            node.Children.Clear();
            node.Children.AddRange(children);
            if (node.Number is not null || isRoot && children.Count > 1)
            {
                kept.Add(node);
                continue;
            }
            foreach (var child in children) child.Parent = node.Parent;
            kept.AddRange(children);
        }
        return kept;
    }

    private static void SortSiblings(List<Node> siblings)
    {
        foreach (var node in siblings) SortSiblings(node.Children);
        siblings.Sort((a, b) =>
        {
            var (da, ia) = SortKey(a);
            var (db, ib) = SortKey(b);
            var order = da.CompareTo(db);
            return order != 0 ? order : ia.CompareTo(ib);
        });
    }

    /// <summary>A container's date and position: its own, or its first child's when it is empty.</summary>
    private static (DateTimeOffset Date, int Index) SortKey(Node node) =>
        node.Number is null && node.Children.Count > 0 ? SortKey(node.Children[0]) : (node.Date, node.Index);

    /// <summary>A thread container: a message (with its number) or an empty placeholder for a referenced id.</summary>
    public sealed class Node
    {
        /// <summary>Sequence index (0-based) of the message.</summary>
        public int Index { get; set; }

        /// <summary>Number reported (sequence number or UID); null for an empty container.</summary>
        public long? Number { get; set; }

        /// <summary>Sent date.</summary>
        public DateTimeOffset Date { get; set; }

        /// <summary>Subject (decoded).</summary>
        public string? Subject { get; set; }

        /// <summary>The parent container.</summary>
        public Node? Parent { get; set; }

        /// <summary>The child containers.</summary>
        public List<Node> Children { get; } = [];
    }
}
