namespace Mail.Storage.Blobs;

/// <summary>What the blob collector needs of a raw store beyond reads and writes: listing what was written, and giving space back.</summary>
public interface IBlobStoreMaintenance
{
    /// <summary>
    /// Every live blob written at or after <paramref name="since"/> and before <paramref name="until"/>, by the name it
    /// is read by (the orphan sweep checks each against the rows that reference blobs).
    /// </summary>
    IAsyncEnumerable<WrittenBlob> ListWrittenAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken ct);

    /// <summary>
    /// Gives back the space of deleted blobs among <paramref name="deletedNames"/> where the store keeps them packed
    /// (rewrites each segment they were in that <paramref name="policy"/> says is mostly dead); the bytes reclaimed.
    /// </summary>
    Task<long> CompactAsync(IEnumerable<string> deletedNames, CompactionPolicy policy, CancellationToken ct);
}
