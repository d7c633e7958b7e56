namespace Mail.Grains.Interfaces.Mailboxes;

/// <summary>
/// Up to <see cref="FolderMap.PageSize"/> messages of a <see cref="FolderMap"/> by ascending UID, in parallel arrays
/// (13 bytes a message). A page belongs to the <see cref="FolderMapBuilder"/> that made it (<see cref="Owner"/>) and
/// is changed in place only by that builder; every other builder copies it first, so published maps never change.
/// </summary>
internal sealed class MapPage(int capacity, object? owner)
{
    public uint[] Uids = new uint[capacity];
    public long[] Ids = new long[capacity];
    public byte[] Bits = new byte[capacity];

    /// <summary>Keywords per message, allocated only once a message of the page has one.</summary>
    public string[]?[]? Keywords;

    public int Count;

    public readonly object? Owner = owner;

    public int Capacity => Uids.Length;

    public long LastUid => Uids[Count - 1];

    /// <summary>A copy owned by <paramref name="owner"/> with room for <paramref name="capacity"/> messages.</summary>
    public MapPage CopyFor(object owner, int capacity)
    {
        var copy = new MapPage(Math.Max(capacity, Count), owner) { Count = Count };
        Array.Copy(Uids, copy.Uids, Count);
        Array.Copy(Ids, copy.Ids, Count);
        Array.Copy(Bits, copy.Bits, Count);
        if (Keywords is not null)
        {
            copy.Keywords = new string[]?[copy.Capacity];
            Array.Copy(Keywords, copy.Keywords, Count);
        }
        return copy;
    }

    /// <summary>Grows an owned page's arrays to <paramref name="capacity"/>.</summary>
    public void Grow(int capacity)
    {
        Array.Resize(ref Uids, capacity);
        Array.Resize(ref Ids, capacity);
        Array.Resize(ref Bits, capacity);
        if (Keywords is not null) Array.Resize(ref Keywords, capacity);
    }

    /// <summary>Position of <paramref name="uid"/> in the page, or the complement of where it would go.</summary>
    public int Find(long uid) => uid > uint.MaxValue ? ~Count : Array.BinarySearch(Uids, 0, Count, (uint)uid);

    public void SetKeywords(int offset, string[]? keywords)
    {
        if (keywords is null && Keywords is null) return;
        Keywords ??= new string[]?[Capacity];
        Keywords[offset] = keywords;
    }

    public void RemoveAt(int offset)
    {
        var tail = Count - offset - 1;
        Array.Copy(Uids, offset + 1, Uids, offset, tail);
        Array.Copy(Ids, offset + 1, Ids, offset, tail);
        Array.Copy(Bits, offset + 1, Bits, offset, tail);
        if (Keywords is not null)
        {
            Array.Copy(Keywords, offset + 1, Keywords, offset, tail);
            Keywords[Count - 1] = null;
        }
        Count--;
    }
}
