namespace Mail.Grains.Interfaces.Mailboxes;

/// <summary>Converts a <see cref="FolderMap"/> to and from <see cref="FolderMapSurrogate"/>.</summary>
[RegisterConverter]
public sealed class FolderMapSurrogateConverter : IConverter<FolderMap, FolderMapSurrogate>
{
    /// <inheritdoc />
    public FolderMap ConvertFromSurrogate(in FolderMapSurrogate surrogate)
    {
        var builder = new FolderMapBuilder();
        builder.AddKeywords(surrogate.Keywords);
        var next = 0;
        for (var i = 0; i < surrogate.Uids.Length; i++)
        {
            string[]? keywords = null;
            if (next < surrogate.KeywordPositions.Length && surrogate.KeywordPositions[next] == i) keywords = surrogate.KeywordLists[next++];
            builder.Append(surrogate.Uids[i], surrogate.Ids[i], surrogate.Bits[i], keywords);
        }
        return builder.ToMap();
    }

    /// <inheritdoc />
    public FolderMapSurrogate ConvertToSurrogate(in FolderMap value)
    {
        var count = value.Count;
        var surrogate = new FolderMapSurrogate
        {
            Uids = new uint[count],
            Ids = new long[count],
            Bits = new byte[count],
            Keywords = value.Keywords.ToArray(),
        };
        var positions = new List<int>();
        var lists = new List<string[]>();
        var n = 0;
        foreach (var page in value.Pages)
        {
            Array.Copy(page.Uids, 0, surrogate.Uids, n, page.Count);
            Array.Copy(page.Ids, 0, surrogate.Ids, n, page.Count);
            Array.Copy(page.Bits, 0, surrogate.Bits, n, page.Count);
            for (var i = 0; i < page.Count; i++)
            {
                if (page.Keywords?[i] is not { } keywords) continue;
                positions.Add(n + i);
                lists.Add(keywords);
            }
            n += page.Count;
        }
        surrogate.KeywordPositions = positions.ToArray();
        surrogate.KeywordLists = lists.ToArray();
        return surrogate;
    }
}
