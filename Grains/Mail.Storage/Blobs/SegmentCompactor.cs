using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Mail.Storage.Blobs;

/// <summary>
/// Rewrites a mostly dead segment with only its live records (Dovecot's mdbox purge does the same), so the space of
/// deleted blobs goes back to the disk. Locators stored in mailbox rows never change: the new file maps the offsets
/// they name to where the records are now (<see cref="SegmentFormat"/>), and a record keeps its bytes exactly, so
/// its encryption (bound to its logical name, not its place) still authenticates. The new file is written beside
/// the old one, fsynced, re-checked for deletes that happened meanwhile, then renamed over it: a reader sees the old
/// file or the new one, never a mix. A segment with nothing live left is deleted.
/// The caller holds the store's lock for this segment, so its own deletes cannot slip in between.
/// </summary>
internal static class SegmentCompactor
{
    /// <summary>The extension of a compaction's new file until it is renamed over the old one.</summary>
    public const string TemporaryExtension = ".compacting";

    /// <summary>Compacts the segment at <paramref name="path"/> if the policy says so; the bytes reclaimed (0 if left alone).</summary>
    public static long Compact(string path, SegmentLocator locator, CompactionPolicy policy, DateTimeOffset now)
    {
        SafeFileHandle old;
        try
        {
            old = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return 0;
        }
        using (old)
        {
            var records = locator.Scan(old, path, out _);
            if (records is null || records.Count == 0) return 0;
            // A writer of another process could still append to a segment written to lately.
            if (now - records.Max(r => r.WrittenAt) < policy.MinAge) return 0;
            var fileLength = RandomAccess.GetLength(old);
            var live = records.Where(r => r.Live).ToList();
            var liveLength = SegmentFormat.HeaderLength + (long)live.Count * SegmentFormat.TableEntryLength + live.Sum(r => r.TotalLength);
            if (live.Count > 0 && liveLength >= fileLength * policy.LiveFractionBelow) return 0;
            var directory = Path.GetDirectoryName(path)!;
            if (live.Count == 0)
            {
                File.Delete(path);
                DirectorySync.Flush(directory);
                return fileLength;
            }
            var temporary = path + TemporaryExtension;
            try
            {
                var placed = Write(old, temporary, live);
                File.Move(temporary, path, overwrite: true);
                DirectorySync.Flush(directory);
                return fileLength - placed;
            }
            catch
            {
                File.Delete(temporary);
                throw;
            }
        }
    }

    /// <summary>Writes the new file: header, table, the live records in their order; returns its length.</summary>
    private static long Write(SafeFileHandle old, string temporary, List<SegmentRecord> live)
    {
        live.Sort((a, b) => a.OriginalOffset.CompareTo(b.OriginalOffset));
        var table = new byte[live.Count * SegmentFormat.TableEntryLength];
        var position = SegmentFormat.HeaderLength + (long)table.Length;
        var placed = new long[live.Count];
        for (var i = 0; i < live.Count; i++)
        {
            placed[i] = position;
            BinaryPrimitives.WriteInt64LittleEndian(table.AsSpan(i * SegmentFormat.TableEntryLength), live[i].OriginalOffset);
            BinaryPrimitives.WriteInt64LittleEndian(table.AsSpan(i * SegmentFormat.TableEntryLength + 8), position);
            position += live[i].TotalLength;
        }
        using var file = File.OpenHandle(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        RandomAccess.Write(file, SegmentFormat.Header(compacted: true, SegmentFormat.Generation(), live.Count), 0);
        RandomAccess.Write(file, table, SegmentFormat.HeaderLength);
        var buffer = new byte[64 * 1024];
        for (var i = 0; i < live.Count; i++)
        {
            for (long copied = 0; copied < live[i].TotalLength;)
            {
                var count = (int)Math.Min(buffer.Length, live[i].TotalLength - copied);
                var read = RandomAccess.Read(old, buffer.AsSpan(0, count), live[i].Offset + copied);
                if (read <= 0) throw new IOException($"Segment shrank while being compacted at offset {live[i].Offset + copied}.");
                RandomAccess.Write(file, buffer.AsSpan(0, read), placed[i] + copied);
                copied += read;
            }
        }
        // A delete (by another process: this one's wait for the lock) that zeroed a magic after the scan is carried over.
        Span<byte> magic = stackalloc byte[SegmentFormat.RecordMagic.Length];
        for (var i = 0; i < live.Count; i++)
        {
            if (RandomAccess.Read(old, magic, live[i].Offset) == magic.Length && !magic.SequenceEqual(SegmentFormat.RecordMagic))
            {
                RandomAccess.Write(file, new byte[magic.Length], placed[i]);
            }
        }
        RandomAccess.FlushToDisk(file);
        return position;
    }
}
