namespace Mail.Storage.Blobs;

/// <summary>The header of a version 2 segment file (<see cref="SegmentFormat"/>).</summary>
internal sealed record SegmentHeader(bool Compacted, long Generation, int TableEntries);
