using System.Globalization;

namespace Mail.Storage.Blobs;

/// <summary>
/// Where a packed blob lives in its directory's segment file: the locator "{segment}-{offset}-{length}" that
/// <see cref="FileSystemBlobStore"/> appends to the blob's name after <see cref="BlobName.LocatorSeparator"/>.
/// <see cref="Offset"/> is where the record was first written (a compacted segment maps it to where it is now, see
/// <see cref="SegmentFormat"/>); <see cref="Length"/> is the length of the blob's bytes.
/// </summary>
internal readonly record struct PackedBlobLocation(string Segment, long Offset, long Length)
{
    /// <summary>The extension of segment files.</summary>
    public const string SegmentExtension = ".seg";

    /// <summary>Length of a segment id: 16 lowercase hex digits, random per segment file.</summary>
    public const int SegmentIdLength = 16;

    /// <summary>The locator text.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Segment}-{Offset}-{Length}");

    /// <summary>Parses a locator; false unless it is exactly "{16 hex}-{offset}-{length}" with non-negative numbers.</summary>
    public static bool TryParse(string locator, out PackedBlobLocation location)
    {
        location = default;
        var parts = locator.Split('-');
        if (parts.Length != 3 || parts[0].Length != SegmentIdLength || !parts[0].All(char.IsAsciiHexDigitLower)) return false;
        if (!long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var offset)) return false;
        if (!long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var length)) return false;
        location = new PackedBlobLocation(parts[0], offset, length);
        return true;
    }
}
