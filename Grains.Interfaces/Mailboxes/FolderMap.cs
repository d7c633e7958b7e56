namespace Mail.Grains.Interfaces.Mailboxes;

/// <summary>
/// A folder's messages by ascending UID, as IMAP sequence numbers and POP3 message numbers need them (RFC 9051
/// §2.3.1.2): UID, message id and flags, 13 bytes a message in pages of <see cref="PageSize"/>. Immutable: a change
/// is made with a <see cref="FolderMapBuilder"/>, which copies only the pages it touches, so the mailbox grain's map
/// and the versions every selected session holds share all their unchanged pages. Within one process a map passes
/// by reference (it is [Immutable]), so sessions selecting the same folder on a silo share one copy.
/// </summary>
/// <remarks>
/// It is a data type of the grain interface, like the records beside it, because the grain and the sessions must
/// share the very same object; its few operations are lookups and the copy-on-write builder.
/// </remarks>
[Immutable]
public sealed class FolderMap
{
    /// <summary>Most messages of one page: a change copies at most one page per touched page and the page list.</summary>
    public const int PageSize = 1024;

    private readonly MapPage[] _pages;
    private readonly int[] _starts;

    /// <summary>The map of an empty folder.</summary>
    public static FolderMap Empty { get; } = new([], []);

    internal FolderMap(MapPage[] pages, string[] keywords)
    {
        _pages = pages;
        Keywords = keywords;
        _starts = new int[pages.Length + 1];
        for (var i = 0; i < pages.Length; i++) _starts[i + 1] = _starts[i] + pages[i].Count;
    }

    internal MapPage[] Pages => _pages;

    /// <summary>Every keyword that messages of the folder have had while this map was kept (RFC 9051 §7.3.5 FLAGS); it never shrinks.</summary>
    public IReadOnlyList<string> Keywords { get; }

    /// <summary>Messages in the folder.</summary>
    public int Count => _starts[^1];

    /// <summary>The highest UID in the folder, 0 when it is empty.</summary>
    public long MaxUid => _pages.Length == 0 ? 0 : _pages[^1].LastUid;

    /// <summary>The UID of the message at <paramref name="index"/> (sequence number - 1).</summary>
    public long UidAt(int index)
    {
        var (page, offset) = Locate(index);
        return page.Uids[offset];
    }

    /// <summary>The message id of the message at <paramref name="index"/>.</summary>
    public long MessageIdAt(int index)
    {
        var (page, offset) = Locate(index);
        return page.Ids[offset];
    }

    /// <summary>The system flag bits (<see cref="FlagBits"/>) of the message at <paramref name="index"/>.</summary>
    public byte BitsAt(int index)
    {
        var (page, offset) = Locate(index);
        return page.Bits[offset];
    }

    /// <summary>The flags of the message at <paramref name="index"/>, system flags first.</summary>
    public IReadOnlyList<string> FlagsAt(int index)
    {
        var (page, offset) = Locate(index);
        return FlagBits.ToList(page.Bits[offset], page.Keywords?[offset]);
    }

    /// <summary>The index of the message with <paramref name="uid"/>, or -1.</summary>
    public int IndexOfUid(long uid)
    {
        var p = PageOf(uid);
        if (p == _pages.Length) return -1;
        var offset = _pages[p].Find(uid);
        return offset < 0 ? -1 : _starts[p] + offset;
    }

    /// <summary>The index of the first message whose UID is at least <paramref name="uid"/> (<see cref="Count"/> if none).</summary>
    public int LowerBound(long uid)
    {
        var p = PageOf(uid);
        if (p == _pages.Length) return Count;
        var offset = _pages[p].Find(uid);
        return _starts[p] + (offset < 0 ? ~offset : offset);
    }

    /// <summary>The index of the first message without <paramref name="bit"/> (the first unseen, for <see cref="FlagBits.Seen"/>), or -1.</summary>
    public int FirstIndexWithout(byte bit)
    {
        for (var p = 0; p < _pages.Length; p++)
        {
            var bits = _pages[p].Bits.AsSpan(0, _pages[p].Count);
            for (var i = 0; i < bits.Length; i++)
            {
                if ((bits[i] & bit) == 0) return _starts[p] + i;
            }
        }
        return -1;
    }

    /// <summary>Copies UIDs and message ids of the messages from <paramref name="start"/> on into the spans (as many as they hold).</summary>
    public void CopyTo(int start, Span<long> uids, Span<long> ids)
    {
        if (start >= Count) return;
        var (p, offset) = Find(start);
        for (var n = 0; n < uids.Length && p < _pages.Length; p++, offset = 0)
        {
            var page = _pages[p];
            for (; offset < page.Count && n < uids.Length; offset++, n++)
            {
                uids[n] = page.Uids[offset];
                ids[n] = page.Ids[offset];
            }
        }
    }

    /// <summary>A builder that starts from this map; the map itself never changes.</summary>
    public FolderMapBuilder ToBuilder() => new(this);

    private (MapPage Page, int Offset) Locate(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"The folder has {Count} messages.");
        var (p, offset) = Find(index);
        return (_pages[p], offset);
    }

    private (int Page, int Offset) Find(int index)
    {
        var p = Array.BinarySearch(_starts, 0, _pages.Length, index);
        if (p < 0) p = ~p - 1;
        return (p, index - _starts[p]);
    }

    /// <summary>The first page whose last UID is at least <paramref name="uid"/>.</summary>
    private int PageOf(long uid)
    {
        int low = 0, high = _pages.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (_pages[mid].LastUid < uid) low = mid + 1;
            else high = mid;
        }
        return low;
    }
}
