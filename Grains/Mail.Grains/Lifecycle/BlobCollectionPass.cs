namespace Mail.Grains.Lifecycle;

/// <summary>
/// What one collection pass did: released blobs deleted, orphans deleted, and bytes the compaction of packed segments
/// gave back; <see cref="Ran"/> false when another silo held the pass.
/// </summary>
public sealed record BlobCollectionPass(bool Ran, int Released, int Orphans, long ReclaimedBytes);
