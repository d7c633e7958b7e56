namespace Mail.Storage.Blobs;

/// <summary>
/// One record of a version 2 segment: the offset its locator names (<see cref="OriginalOffset"/>), where it is in
/// the file now, the logical name it was written under, the length of its header and of its data, whether it is
/// live (not deleted), and when it was written.
/// </summary>
internal readonly record struct SegmentRecord(long OriginalOffset, long Offset, string LogicalName, int HeaderLength, int DataLength, bool Live,
    DateTimeOffset WrittenAt)
{
    /// <summary>Header and data.</summary>
    public long TotalLength => HeaderLength + (long)DataLength;

    /// <summary>Where the data starts.</summary>
    public long DataOffset => Offset + HeaderLength;
}
