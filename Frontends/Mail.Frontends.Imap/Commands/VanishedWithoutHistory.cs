using System.Globalization;
using System.Text;
using Mail.Frontends.Imap.Protocol;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// VANISHED (EARLIER) when the change log no longer reaches back to the client's MODSEQ (it was pruned behind the
/// retention horizon). The server cannot tell which UIDs went away after that MODSEQ, so it answers as RFC 7162 asks
/// of a server that does not remember every expunge (§3.2.5.2, §3.2.6): every UID of the client's set that is not in
/// the mailbox now, narrowed by the message sequence match data. Each UID reported is truly gone and none that went
/// away is missed, so the client's cache ends up exact: a full resynchronization of what was expunged, not a delta.
/// </summary>
public static class VanishedWithoutHistory
{
    // A client's sequence match data is a small sample; more than this many pairs is not worth walking.
    private const int MaxMatchPairs = 10_000;

    /// <summary>
    /// The UIDs in <paramref name="within"/> (all UIDs when null; "*" is <paramref name="star"/>), above
    /// <paramref name="floor"/> and at most <paramref name="largest"/>, that are not in <paramref name="presentAscending"/>,
    /// as a sequence set ("" when none). Built from ranges, so a million expunged UIDs in a row cost one range.
    /// </summary>
    public static string Absent(IEnumerable<long> presentAscending, SequenceSet? within, long floor, long largest, long star)
    {
        var wanted = Normalize(within, floor + 1, largest, star);
        var builder = new StringBuilder();
        var cursor = 0;
        var next = floor + 1;
        foreach (var uid in presentAscending)
        {
            if (uid < next) continue;
            if (uid > largest || cursor == wanted.Count) break;
            AppendGap(builder, wanted, ref cursor, next, uid - 1);
            next = uid + 1;
        }
        AppendGap(builder, wanted, ref cursor, next, largest);
        return builder.ToString();
    }

    /// <summary>
    /// RFC 7162 §3.2.5.2: the largest UID up to which the client provably knows every expunge. The pairs of
    /// (message sequence number, UID) are checked in order against the mailbox as it is now; each match means the
    /// client's view and the mailbox agree on everything up to that UID, and the first mismatch ends the walk.
    /// 0 when there is no usable data.
    /// </summary>
    public static long MatchedFloor(SequenceSet? sequences, SequenceSet? uids, int count, Func<int, long> uidAtIndex)
    {
        if (sequences is null || uids is null) return 0;
        var seqList = Expand(sequences);
        var uidList = Expand(uids);
        if (seqList is null || uidList is null || seqList.Count != uidList.Count) return 0;
        long floor = 0;
        for (var i = 0; i < seqList.Count; i++)
        {
            var seq = seqList[i];
            if (seq < 1 || seq > count || uidAtIndex((int)(seq - 1)) != uidList[i]) break;
            floor = uidList[i];
        }
        return floor;
    }

    private static List<long>? Expand(SequenceSet set)
    {
        var values = new List<long>();
        foreach (var range in set.Ranges)
        {
            if (range.Start == SequenceSet.Star || range.End == SequenceSet.Star) return null;
            var (a, b) = (Math.Min(range.Start, range.End), Math.Max(range.Start, range.End));
            if (values.Count + (long)(b - a) + 1 > MaxMatchPairs) return null;
            for (long v = a; v <= b; v++) values.Add(v);
        }
        return values;
    }

    /// <summary>The set's ranges clipped to [low, high], sorted and merged.</summary>
    private static List<(long Start, long End)> Normalize(SequenceSet? set, long low, long high, long star)
    {
        var ranges = new List<(long Start, long End)>();
        if (low > high) return ranges;
        if (set is null)
        {
            ranges.Add((low, high));
            return ranges;
        }
        foreach (var range in set.Ranges)
        {
            long a = range.Start == SequenceSet.Star ? star : range.Start;
            long b = range.End == SequenceSet.Star ? star : range.End;
            var (start, end) = (Math.Max(Math.Min(a, b), low), Math.Min(Math.Max(a, b), high));
            if (start <= end) ranges.Add((start, end));
        }
        ranges.Sort();
        var merged = new List<(long Start, long End)>();
        foreach (var r in ranges)
        {
            if (merged.Count > 0 && r.Start <= merged[^1].End + 1) merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, r.End));
            else merged.Add(r);
        }
        return merged;
    }

    /// <summary>Appends the part of the gap [start, end] that the wanted ranges cover; gaps come in ascending order, so the cursor only moves on.</summary>
    private static void AppendGap(StringBuilder builder, List<(long Start, long End)> wanted, ref int cursor, long start, long end)
    {
        if (start > end) return;
        while (cursor < wanted.Count && wanted[cursor].End < start) cursor++;
        for (var i = cursor; i < wanted.Count; i++)
        {
            var (a, b) = wanted[i];
            if (a > end) break;
            var (from, to) = (Math.Max(a, start), Math.Min(b, end));
            if (builder.Length > 0) builder.Append(',');
            builder.Append(from.ToString(CultureInfo.InvariantCulture));
            if (to != from) builder.Append(':').Append(to.ToString(CultureInfo.InvariantCulture));
        }
    }
}
