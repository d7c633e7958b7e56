namespace Mail.Grains.Interfaces.Mailboxes;

/// <summary>
/// Changes a <see cref="FolderMap"/> without changing it: the first change to a page copies that page (and the builder
/// copied the page list when it was made); later changes to it happen in place. <see cref="ToMap"/> publishes the
/// result, after which the builder must not be used. Not thread-safe.
/// </summary>
public sealed class FolderMapBuilder
{
    private const int FirstPageCapacity = 16;
    private readonly object _owner = new();
    private readonly List<MapPage> _pages;
    private readonly List<string> _keywords;
    private readonly HashSet<string> _known;
    private readonly Dictionary<string, string[]> _interned = new(StringComparer.Ordinal);

    internal FolderMapBuilder(FolderMap source)
    {
        _pages = new List<MapPage>(source.Pages);
        _keywords = new List<string>(source.Keywords);
        _known = new HashSet<string>(source.Keywords, StringComparer.OrdinalIgnoreCase);
        Count = source.Count;
    }

    /// <summary>A builder of an empty folder's map.</summary>
    public FolderMapBuilder() : this(FolderMap.Empty)
    {
    }

    /// <summary>Messages in the map as built so far.</summary>
    public int Count { get; private set; }

    /// <summary>The highest UID so far, 0 when empty.</summary>
    public long MaxUid => _pages.Count == 0 ? 0 : _pages[^1].LastUid;

    /// <summary>Adds a message after the last; its UID must be above <see cref="MaxUid"/> (UIDs only grow, RFC 9051 §2.3.1.1).</summary>
    public void Append(long uid, long messageId, byte bits, string[]? keywords)
    {
        if (uid <= MaxUid || uid > uint.MaxValue) throw new ArgumentOutOfRangeException(nameof(uid), uid, $"UIDs must ascend (last is {MaxUid}) and fit 32 bits.");
        MapPage page;
        if (_pages.Count == 0 || _pages[^1].Count == FolderMap.PageSize)
        {
            page = new MapPage(FirstPageCapacity, _owner);
            _pages.Add(page);
            CopiedPages++;
        }
        else
        {
            page = Own(_pages.Count - 1, 1);
        }
        if (page.Count == page.Capacity) page.Grow(Math.Min(FolderMap.PageSize, page.Capacity * 2));
        var offset = page.Count++;
        page.Uids[offset] = (uint)uid;
        page.Ids[offset] = messageId;
        page.Bits[offset] = bits;
        page.SetKeywords(offset, Intern(keywords));
        Count++;
    }

    /// <summary>Pages this builder has copied so far (what its result holds apart from the map it started from).</summary>
    public int CopiedPages { get; private set; }

    /// <summary>The index of the message with <paramref name="uid"/> as built so far, or -1 (linear in the number of pages).</summary>
    public int IndexOfUid(long uid)
    {
        var (p, offset) = Find(uid);
        if (offset < 0) return -1;
        for (var i = 0; i < p; i++) offset += _pages[i].Count;
        return offset;
    }

    /// <summary>Records keywords as the folder's (<see cref="FolderMap.Keywords"/>) without giving them to a message.</summary>
    public void AddKeywords(IEnumerable<string> keywords)
    {
        foreach (var keyword in keywords)
        {
            if (_known.Add(keyword)) _keywords.Add(keyword);
        }
    }

    /// <summary>Removes the message with <paramref name="uid"/>; false if there is none.</summary>
    public bool Remove(long uid)
    {
        var (p, offset) = Find(uid);
        if (offset < 0) return false;
        var page = Own(p, 0);
        page.RemoveAt(offset);
        if (page.Count == 0) _pages.RemoveAt(p);
        Count--;
        return true;
    }

    /// <summary>Sets the flags of the message with <paramref name="uid"/>; false if there is none.</summary>
    public bool SetFlags(long uid, byte bits, string[]? keywords)
    {
        var (p, offset) = Find(uid);
        if (offset < 0) return false;
        var page = Own(p, 0);
        page.Bits[offset] = bits;
        page.SetKeywords(offset, Intern(keywords));
        return true;
    }

    /// <summary>
    /// The map as built. Neighbouring pages that removals left less than half full between them are merged, so the
    /// page list stays proportional to the folder.
    /// </summary>
    public FolderMap ToMap()
    {
        for (var i = 0; i + 1 < _pages.Count;)
        {
            var (a, b) = (_pages[i], _pages[i + 1]);
            if (a.Count + b.Count > FolderMap.PageSize / 2)
            {
                i++;
                continue;
            }
            var merged = a.CopyFor(_owner, a.Count + b.Count);
            Array.Copy(b.Uids, 0, merged.Uids, a.Count, b.Count);
            Array.Copy(b.Ids, 0, merged.Ids, a.Count, b.Count);
            Array.Copy(b.Bits, 0, merged.Bits, a.Count, b.Count);
            for (var k = 0; k < b.Count; k++) merged.SetKeywords(a.Count + k, b.Keywords?[k]);
            merged.Count = a.Count + b.Count;
            _pages[i] = merged;
            _pages.RemoveAt(i + 1);
        }
        return new FolderMap(_pages.ToArray(), _keywords.ToArray());
    }

    /// <summary>The page at <paramref name="p"/>, copied first unless this builder made it, with room for <paramref name="extra"/> more.</summary>
    private MapPage Own(int p, int extra)
    {
        var page = _pages[p];
        if (ReferenceEquals(page.Owner, _owner)) return page;
        page = page.CopyFor(_owner, Math.Min(FolderMap.PageSize, page.Count + extra));
        _pages[p] = page;
        CopiedPages++;
        return page;
    }

    private (int Page, int Offset) Find(long uid)
    {
        int low = 0, high = _pages.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (_pages[mid].LastUid < uid) low = mid + 1;
            else high = mid;
        }
        return low == _pages.Count ? (low, -1) : (low, _pages[low].Find(uid));
    }

    /// <summary>One array per distinct keyword list, and every new keyword recorded for <see cref="FolderMap.Keywords"/>.</summary>
    private string[]? Intern(string[]? keywords)
    {
        if (keywords is not { Length: > 0 }) return null;
        var key = string.Join('\n', keywords);
        if (_interned.TryGetValue(key, out var shared)) return shared;
        AddKeywords(keywords);
        _interned[key] = keywords;
        return keywords;
    }
}
