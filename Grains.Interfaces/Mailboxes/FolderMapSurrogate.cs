namespace Mail.Grains.Interfaces.Mailboxes;

/// <summary>
/// The wire form of a <see cref="FolderMap"/> between processes (a frontend running as a cluster client): the pages
/// flattened into columns, keywords only for the messages that have some. Within a process a map is never copied.
/// </summary>
[GenerateSerializer, Alias("mail.FolderMap")]
public struct FolderMapSurrogate
{
    /// <summary>UIDs, ascending.</summary>
    [Id(0)] public uint[] Uids;

    /// <summary>Message ids, by position.</summary>
    [Id(1)] public long[] Ids;

    /// <summary>System flag bits, by position.</summary>
    [Id(2)] public byte[] Bits;

    /// <summary>Positions that have keywords.</summary>
    [Id(3)] public int[] KeywordPositions;

    /// <summary>The keywords of each position in <see cref="KeywordPositions"/>.</summary>
    [Id(4)] public string[][] KeywordLists;

    /// <summary>The folder's keywords (<see cref="FolderMap.Keywords"/>).</summary>
    [Id(5)] public string[] Keywords;
}
