using Mail.Frontends.Imap.Protocol;
using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Frontends.Imap.Session;

/// <summary>
/// The selected mailbox as the client sees it (RFC 9051 §2.3.1.2): message sequence numbers are positions in
/// <see cref="Map"/>, ordered by UID, and change only when the session announces EXISTS or EXPUNGE. The map is the
/// mailbox grain's <see cref="FolderMap"/> as of <see cref="LogPosition"/>: at first the grain's own object (shared with
/// every session of the folder in this process), then, as the session replays the change log, a copy-on-write edit of
/// it that shares every page it did not change. Flags, sizes and dates are not kept: commands read them per page. A
/// folder another account shares (RFC 4314) is read and written through its owner's grain, <see cref="Target"/>.
/// </summary>
public sealed class SelectedFolder(string name, int folderId, long uidValidity, bool readOnly, long logPosition, FolderMap map, MailboxTarget target)
{
    private readonly List<(long First, long Last)> _ownChanges = [];

    /// <summary>Folder name (canonical, as the grain has it).</summary>
    public string Name { get; set; } = name;

    /// <summary>The grain's folder id: what change-log rows name.</summary>
    public int FolderId { get; } = folderId;

    /// <summary>UIDVALIDITY.</summary>
    public long UidValidity { get; } = uidValidity;

    /// <summary>Selected with EXAMINE.</summary>
    public bool ReadOnly { get; } = readOnly;

    /// <summary>The owner's grain and the session's rights on the folder, as of SELECT (RFC 4314 §4).</summary>
    public MailboxTarget Target { get; } = target;

    /// <summary>The grain that owns the folder: every read and write of the selected folder goes to it.</summary>
    public IMailboxGrain Grain => Target.Grain;

    /// <summary>The mailbox MODSEQ up to which the change log has been applied.</summary>
    public long LogPosition { get; set; } = logPosition;

    /// <summary>The messages by ascending UID; sequence number = index + 1.</summary>
    public FolderMap Map { get; private set; } = map;

    /// <summary>Pages of <see cref="Map"/> this session copied since it last took the grain's map (what it holds alone).</summary>
    public int PrivatePages { get; private set; }

    /// <summary>Messages in the view.</summary>
    public int Count => Map.Count;

    /// <summary>Highest UID the client knows.</summary>
    public long MaxUid => Map.MaxUid;

    /// <summary>UID of the message at <paramref name="index"/>.</summary>
    public long UidAt(int index) => Map.UidAt(index);

    /// <summary>The grain's message id of the message at <paramref name="index"/>.</summary>
    public long MessageIdAt(int index) => Map.MessageIdAt(index);

    /// <summary>Index of the message with <paramref name="uid"/>, or -1.</summary>
    public int IndexOfUid(long uid) => Map.IndexOfUid(uid);

    /// <summary>Makes an edit of the view (log replay, expunges) the view.</summary>
    public void Apply(FolderMapBuilder edit)
    {
        PrivatePages += edit.CopiedPages;
        Map = edit.ToMap();
    }

    /// <summary>How many messages of the view have a UID of at least <paramref name="uid"/>.</summary>
    public int CountFromUid(long uid) => Count - Map.LowerBound(uid);

    /// <summary>
    /// Takes the grain's map when it holds exactly this view, and so gives up the pages held alone; false (and nothing
    /// changes) when it plainly does not.
    /// </summary>
    public bool Rebase(FolderMap map)
    {
        if (map.Count != Map.Count || map.MaxUid != Map.MaxUid) return false;
        Map = map;
        PrivatePages = 0;
        return true;
    }

    /// <summary>Records MODSEQs the session's own write took: log replay does not announce those changes again.</summary>
    public void NoteOwnChanges(long first, long last)
    {
        if (first > 0 && last >= first) _ownChanges.Add((first, last));
    }

    /// <summary>Whether a change-log MODSEQ is one of this session's own writes.</summary>
    public bool IsOwnChange(long modseq) => _ownChanges.Exists(r => modseq >= r.First && modseq <= r.Last);

    /// <summary>Forgets own writes the log replay has passed.</summary>
    public void ForgetOwnChangesUpTo(long modseq) => _ownChanges.RemoveAll(r => r.Last <= modseq);

    /// <summary>
    /// The indexes a set names, ascending; null when a message sequence number is out of range (RFC 9051 §9:
    /// a BAD). A UID range "n:*" always includes the last message (RFC 9051 §6.4.9).
    /// </summary>
    public MessageIndexes? Resolve(SequenceSet set, bool uid)
    {
        var ranges = new List<(int First, int Last)>(set.Ranges.Count);
        if (uid)
        {
            var largest = MaxUid;
            foreach (var range in set.Ranges)
            {
                var (low, high) = Bounds(range, largest);
                ranges.Add((Map.LowerBound(low), Map.LowerBound(high + 1) - 1));
            }
            return MessageIndexes.FromRanges(ranges);
        }
        var count = Count;
        if (count == 0) return null;
        foreach (var range in set.Ranges)
        {
            if (range.Start != SequenceSet.Star && range.Start > count || range.End != SequenceSet.Star && range.End > count) return null;
            var (low, high) = Bounds(range, count);
            if (low < 1) return null;
            ranges.Add(((int)low - 1, (int)high - 1));
        }
        return MessageIndexes.FromRanges(ranges);
    }

    /// <summary>The lowest and highest number a range covers, "*" being <paramref name="largest"/>.</summary>
    private static (long Low, long High) Bounds(SequenceRange range, long largest)
    {
        var a = range.Start == SequenceSet.Star ? largest : range.Start;
        var b = range.End == SequenceSet.Star ? largest : range.End;
        return (Math.Min(a, b), Math.Max(a, b));
    }
}
