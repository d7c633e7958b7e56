using System.Collections.Concurrent;
using Microsoft.Win32.SafeHandles;

namespace Mail.Storage.Blobs;

/// <summary>
/// Finds the record a locator names in an open segment file, in either <see cref="SegmentFormat"/> version and
/// after any number of compactions (through the file's translation table, cached by the file's generation, which
/// every rewrite changes). A version 2 record must also carry the logical name and length the locator expects.
/// </summary>
internal sealed class SegmentLocator
{
    private const int MaxCachedTables = 64;
    private readonly ConcurrentDictionary<(string Path, long Generation), (long[] Original, long[] Current)> _tables = new();

    /// <summary>The record, or null when it is not there or was deleted.</summary>
    public SegmentRecord? Find(SafeFileHandle handle, string segmentPath, PackedBlobLocation location, string logicalName)
    {
        var header = SegmentFormat.ReadHeader(handle);
        if (header is null) return FindLegacy(handle, location, logicalName);
        var offset = location.Offset;
        if (header.Compacted)
        {
            var (original, current) = Table(handle, segmentPath, header);
            var index = Array.BinarySearch(original, offset);
            if (index < 0) return null;
            offset = current[index];
        }
        var record = SegmentFormat.ReadRecord(handle, offset, RandomAccess.GetLength(handle));
        if (record is not { Live: true } found || found.LogicalName != logicalName || found.DataLength != location.Length) return null;
        return found with { OriginalOffset = location.Offset };
    }

    /// <summary>The records of a version 2 file in file order, with the offsets their locators name; null for a version 1 file.</summary>
    public List<SegmentRecord>? Scan(SafeFileHandle handle, string segmentPath, out long scannedEnd)
    {
        scannedEnd = 0;
        var header = SegmentFormat.ReadHeader(handle);
        if (header is null) return null;
        Dictionary<long, long>? originals = null;
        if (header.Compacted)
        {
            var (original, current) = Table(handle, segmentPath, header);
            originals = new Dictionary<long, long>(current.Length);
            for (var i = 0; i < current.Length; i++) originals[current[i]] = original[i];
        }
        var length = RandomAccess.GetLength(handle);
        var records = new List<SegmentRecord>();
        var position = SegmentFormat.RecordsStart(header);
        while (SegmentFormat.ReadRecord(handle, position, length) is { } record)
        {
            records.Add(record with { OriginalOffset = originals?.GetValueOrDefault(position, position) ?? position });
            position += record.TotalLength;
        }
        scannedEnd = position;
        return records;
    }

    private (long[] Original, long[] Current) Table(SafeFileHandle handle, string segmentPath, SegmentHeader header)
    {
        var key = (segmentPath, header.Generation);
        if (_tables.TryGetValue(key, out var table)) return table;
        table = SegmentFormat.ReadTable(handle, header);
        if (_tables.Count >= MaxCachedTables) _tables.Clear();
        _tables[key] = table;
        return table;
    }

    // Version 1: "MLS1" then the data; the locator's length is the only length there is.
    private static SegmentRecord? FindLegacy(SafeFileHandle handle, PackedBlobLocation location, string logicalName)
    {
        Span<byte> magic = stackalloc byte[SegmentFormat.LegacyRecordMagic.Length];
        if (RandomAccess.Read(handle, magic, location.Offset) != magic.Length || !magic.SequenceEqual(SegmentFormat.LegacyRecordMagic)) return null;
        if (location.Length > int.MaxValue) return null;
        return new SegmentRecord(location.Offset, location.Offset, logicalName, magic.Length, (int)location.Length, true, DateTimeOffset.MinValue);
    }
}
