using Mail.Frontends.Imap.Protocol;

namespace Mail.Frontends.Imap.Session;

/// <summary>
/// The selected mailbox as the client sees it (RFC 9051 §2.3.1.2): message sequence numbers are positions in
/// <see cref="Messages"/>, ordered by UID, and change only when the session announces EXISTS or EXPUNGE.
/// </summary>
public sealed class SelectedFolder(string name, int folderId, long uidValidity, bool readOnly, long logPosition, List<MessageState> messages)
{
    /// <summary>Folder name (canonical, as the grain has it).</summary>
    public string Name { get; set; } = name;

    /// <summary>The grain's folder id: what change-log rows name.</summary>
    public int FolderId { get; } = folderId;

    /// <summary>UIDVALIDITY.</summary>
    public long UidValidity { get; } = uidValidity;

    /// <summary>Selected with EXAMINE.</summary>
    public bool ReadOnly { get; } = readOnly;

    /// <summary>The mailbox MODSEQ up to which the change log has been applied.</summary>
    public long LogPosition { get; set; } = logPosition;

    /// <summary>The messages by ascending UID; sequence number = index + 1.</summary>
    public List<MessageState> Messages { get; } = messages;

    /// <summary>Highest UID the client knows.</summary>
    public long MaxUid => Messages.Count == 0 ? 0 : Messages[^1].Uid;

    /// <summary>Index of the message with <paramref name="uid"/>, or -1.</summary>
    public int IndexOfUid(long uid)
    {
        int low = 0, high = Messages.Count - 1;
        while (low <= high)
        {
            var mid = (low + high) >>> 1;
            var value = Messages[mid].Uid;
            if (value == uid) return mid;
            if (value < uid) low = mid + 1;
            else high = mid - 1;
        }
        return -1;
    }

    /// <summary>How many messages of the view have a UID of at least <paramref name="uid"/>.</summary>
    public int CountFromUid(long uid)
    {
        int low = 0, high = Messages.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (Messages[mid].Uid < uid) low = mid + 1;
            else high = mid;
        }
        return Messages.Count - low;
    }

    /// <summary>
    /// The indexes a set names, ascending; null when a message sequence number is out of range (RFC 9051 §9:
    /// a BAD). A UID range "n:*" always includes the last message (RFC 9051 §6.4.9).
    /// </summary>
    public List<int>? Resolve(SequenceSet set, bool uid)
    {
        var result = new List<int>();
        if (uid)
        {
            var largest = MaxUid;
            for (var i = 0; i < Messages.Count; i++)
            {
                if (set.Contains(Messages[i].Uid, largest)) result.Add(i);
            }
            return result;
        }
        var count = Messages.Count;
        foreach (var range in set.Ranges)
        {
            if (range.Start != SequenceSet.Star && range.Start > count || range.End != SequenceSet.Star && range.End > count) return null;
            if (count == 0) return null;
        }
        for (var i = 0; i < count; i++)
        {
            if (set.Contains(i + 1, count)) result.Add(i);
        }
        return result;
    }
}
