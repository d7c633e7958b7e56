using System.Globalization;
using Mail.Storage.Blobs;

namespace Mail.Testing;

/// <summary>
/// Damages stored blobs of a host's filesystem store the way a disk or an intruder would, for tests of what the
/// server then does. Knows the on-disk layout on purpose: a blob is its own file, or (name "…@{segment}-{offset}-{length}")
/// a record in "{segment}.seg" beside it: in a segment that starts "MLSG" (version 2, not compacted) an 18-byte header
/// and the logical name, in an older one 4 magic bytes, then the blob's bytes.
/// </summary>
public static class StoredBlobFiles
{
    private const int LegacyRecordHeaderLength = 4;
    private const int RecordFixedLength = 18;

    /// <summary>Flips one bit of the byte <paramref name="fromEnd"/> bytes before the end of the stored blob.</summary>
    public static async Task FlipByteAsync(string dataDir, string storedName, int fromEnd)
    {
        var (path, start, length) = Locate(dataDir, storedName);
        await using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        var position = start + (length ?? file.Length) - fromEnd;
        file.Position = position;
        var value = file.ReadByte();
        file.Position = position;
        file.WriteByte((byte)(value ^ 0x01));
    }

    /// <summary>Deletes the stored blob as the store itself does (a file removed, or a record's magic zeroed); false if it was not there.</summary>
    public static Task<bool> DeleteAsync(string dataDir, string storedName) =>
        new FileSystemBlobStore(Path.Combine(dataDir, "blobs")).DeleteAsync(storedName, CancellationToken.None);

    private static (string Path, long Start, long? Length) Locate(string dataDir, string storedName)
    {
        var separator = storedName.IndexOf('@');
        if (separator < 0) return (Path.Combine(dataDir, "blobs", storedName), 0, null);
        var logical = Path.Combine(dataDir, "blobs", storedName[..separator]);
        var parts = storedName[(separator + 1)..].Split('-');
        var segment = Path.Combine(Path.GetDirectoryName(logical)!, parts[0] + ".seg");
        var magic = new byte[4];
        using (var file = File.OpenRead(segment)) file.ReadExactly(magic);
        var header = magic.AsSpan().SequenceEqual("MLSG"u8)
            ? RecordFixedLength + System.Text.Encoding.UTF8.GetByteCount(storedName[..separator])
            : LegacyRecordHeaderLength;
        return (segment, long.Parse(parts[1], CultureInfo.InvariantCulture) + header, long.Parse(parts[2], CultureInfo.InvariantCulture));
    }
}
