using System.Text;
using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Frontends.Imap.Session;

/// <summary>
/// The flags a session has told its client about for the selected mailbox (RFC 9051 §7.3.5, RFC 3501 §7.2.6): the system
/// flags and each keyword named in FLAGS and PERMANENTFLAGS. The list only grows while the mailbox is selected; a keyword
/// that appears on a message (STORE, APPEND, COPY, another session) is announced before any FETCH shows it.
/// </summary>
public sealed class AnnouncedFlags
{
    private static readonly string[] SystemFlags =
        [MessageFlags.Answered, MessageFlags.Flagged, MessageFlags.Deleted, MessageFlags.Seen, MessageFlags.Draft];

    private readonly HashSet<string> _keywords = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _ordered = [];

    /// <summary>Starts with the keywords found on the mailbox's messages.</summary>
    public AnnouncedFlags(IEnumerable<string> keywords) => TryAdd(keywords.Order(StringComparer.Ordinal));

    /// <summary>Adds the keywords of <paramref name="flags"/> not yet announced; true when there was one.</summary>
    public bool TryAdd(IEnumerable<string> flags)
    {
        var added = false;
        foreach (var flag in flags)
        {
            if (flag.StartsWith('\\') || !_keywords.Add(flag)) continue;
            _ordered.Add(flag);
            added = true;
        }
        return added;
    }

    /// <summary>The flag list of FLAGS: system flags then keywords.</summary>
    public string List()
    {
        var builder = new StringBuilder(string.Join(' ', SystemFlags));
        foreach (var keyword in _ordered) builder.Append(' ').Append(keyword);
        return builder.ToString();
    }

    /// <summary>Writes the FLAGS response (RFC 9051 §7.3.5).</summary>
    public void WriteFlags(ImapSession session) => session.Untagged($"FLAGS ({List()})");

    /// <summary>
    /// Writes OK [PERMANENTFLAGS] (RFC 9051 §7.1): empty for a read-only selection, else the flags the session's rights let
    /// it change (RFC 4314 §4: \Seen with "s", \Deleted with "t", the others and new keywords, "\*", with "w").
    /// </summary>
    public void WritePermanentFlags(ImapSession session, SelectedFolder selected)
    {
        if (selected.ReadOnly)
        {
            session.Untagged("OK [PERMANENTFLAGS ()] Read-only mailbox");
            return;
        }
        var flags = SystemFlags.Where(flag => selected.Target.Has(FlagRights.RightOf(flag))).ToList();
        if (selected.Target.Has('w')) flags.AddRange(_ordered.Append("\\*"));
        session.Untagged($"OK [PERMANENTFLAGS ({string.Join(' ', flags)})] Flags permitted");
    }
}
