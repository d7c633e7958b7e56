namespace Mail.Grains.Lifecycle;

/// <summary>When blobs no row references are deleted and packed segments compacted, bound from "Mail:Blobs:Collection" (README, Security: Data lifecycle).</summary>
public sealed class BlobCollectionOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Mail:Blobs:Collection";

    /// <summary>Run the collector in this silo (every silo may; one pass runs at a time cluster-wide).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How long a blob is kept after its last reference went (expunge, purge) or after it was written without one (a
    /// failed APPEND or DATA, a crash before the commit). Far longer than any delivery holds a blob it has not yet
    /// filed, so a delivery still in flight never finds its blob gone.
    /// </summary>
    public int GraceMinutes { get; set; } = 24 * 60;

    /// <summary>Time between passes.</summary>
    public int IntervalMinutes { get; set; } = 15;

    /// <summary>Blobs checked and deleted per database round trip.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>A packed segment is rewritten with only its live blobs when they fill less than this fraction of it.</summary>
    public double CompactBelowLiveFraction { get; set; } = 0.5;

    /// <summary>
    /// Segments written to more recently than this are not compacted: a writer of another process (a frontend running
    /// apart) may still append to its current segment for 10 minutes after its last write.
    /// </summary>
    public int SegmentMinAgeMinutes { get; set; } = 60;

    /// <summary>Hours between sweeps for orphans (blobs written that no row ever referenced); 0 turns the sweep off.</summary>
    public int SweepIntervalHours { get; set; } = 24;
}
