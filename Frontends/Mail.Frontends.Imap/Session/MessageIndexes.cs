using System.Collections;

namespace Mail.Frontends.Imap.Session;

/// <summary>
/// Positions (sequence number - 1) of messages of the selected mailbox that a command names, ascending, held as
/// ranges: "1:*" of a million messages is one range, not a million numbers.
/// </summary>
public sealed class MessageIndexes : IReadOnlyList<int>
{
    private readonly (int First, int Last)[] _ranges;
    private readonly int[] _before;

    /// <summary>Positions from sorted, disjoint, non-adjacent ranges (inclusive).</summary>
    private MessageIndexes((int First, int Last)[] ranges)
    {
        _ranges = ranges;
        _before = new int[ranges.Length + 1];
        for (var i = 0; i < ranges.Length; i++) _before[i + 1] = _before[i] + ranges[i].Last - ranges[i].First + 1;
    }

    /// <summary>Every message of a mailbox of <paramref name="count"/>.</summary>
    public static MessageIndexes All(int count) => new(count == 0 ? [] : [(0, count - 1)]);

    /// <summary>Positions from inclusive ranges in any order, overlapping or not.</summary>
    public static MessageIndexes FromRanges(IEnumerable<(int First, int Last)> ranges)
    {
        var merged = new List<(int First, int Last)>();
        foreach (var (first, last) in ranges.Where(r => r.First <= r.Last).OrderBy(r => r.First))
        {
            if (merged.Count > 0 && first <= merged[^1].Last + 1) merged[^1] = (merged[^1].First, Math.Max(merged[^1].Last, last));
            else merged.Add((first, last));
        }
        return new MessageIndexes(merged.ToArray());
    }

    /// <summary>The ranges, ascending.</summary>
    public IReadOnlyList<(int First, int Last)> Ranges => _ranges;

    /// <inheritdoc />
    public int Count => _before[^1];

    /// <inheritdoc />
    public int this[int position]
    {
        get
        {
            if ((uint)position >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(position));
            var r = Array.BinarySearch(_before, 0, _ranges.Length, position);
            if (r < 0) r = ~r - 1;
            return _ranges[r].First + position - _before[r];
        }
    }

    /// <inheritdoc />
    public IEnumerator<int> GetEnumerator()
    {
        foreach (var (first, last) in _ranges)
        {
            for (var i = first; i <= last; i++) yield return i;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
