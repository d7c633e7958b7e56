namespace Mail.Storage.Blobs;

/// <summary>
/// When a packed segment is rewritten with only its live records: its live bytes are under
/// <see cref="LiveFractionBelow"/> of the file, and its last record is older than <see cref="MinAge"/> (so no writer of
/// another process can still append to it; it must exceed <see cref="SegmentWriter.ReopenWindow"/> where one might).
/// </summary>
public sealed record CompactionPolicy(double LiveFractionBelow, TimeSpan MinAge);
