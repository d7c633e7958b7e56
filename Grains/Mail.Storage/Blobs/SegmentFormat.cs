using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Mail.Storage.Blobs;

/// <summary>
/// The layout of a segment file. Version 2 files start with a header and their records describe themselves, so a
/// segment can be scanned (compaction, the orphan sweep) without the database:
/// <code>
/// header   "MLSG" | version 2 | flags (1 = compacted) | 2 reserved | generation (8) | table entries (u32) | 12 reserved
/// table    (compacted only) entries of (original offset i64, current offset i64), by original offset
/// record   "MLS2" | name length (u16) | data length (u32) | written at (i64, Unix ms) | logical name (UTF-8) | data
/// </code>
/// A deleted record has its magic zeroed and keeps its lengths. Locators keep the offset a record was first written
/// at; a compacted file moved its records and maps those offsets to where they are now. Version 1 files (earlier
/// releases) have no header and records of "MLS1" | data; they are read as before, never scanned or compacted.
/// All integers are little-endian.
/// </summary>
internal static class SegmentFormat
{
    /// <summary>Length of the version 2 file header.</summary>
    public const int HeaderLength = 32;

    /// <summary>Length of a version 2 record header before the name.</summary>
    public const int RecordFixedLength = 18;

    /// <summary>Length of one translation table entry.</summary>
    public const int TableEntryLength = 16;

    /// <summary>Longest logical name a record carries (names are "{tenant}/{yyyy}/{MM}/{32 hex}", well under it).</summary>
    public const int MaxNameLength = 1024;

    /// <summary>Starts a version 2 file.</summary>
    public static readonly byte[] FileMagic = "MLSG"u8.ToArray();

    /// <summary>Starts a version 2 record.</summary>
    public static readonly byte[] RecordMagic = "MLS2"u8.ToArray();

    /// <summary>Starts a version 1 record (files of earlier releases).</summary>
    public static readonly byte[] LegacyRecordMagic = "MLS1"u8.ToArray();

    private const byte Version = 2;
    private const byte CompactedFlag = 1;

    /// <summary>A new file's header: not compacted, a fresh generation, no table.</summary>
    public static byte[] NewHeader() => Header(compacted: false, Generation(), 0);

    /// <summary>A header.</summary>
    public static byte[] Header(bool compacted, long generation, int tableEntries)
    {
        var header = new byte[HeaderLength];
        FileMagic.CopyTo(header, 0);
        header[4] = Version;
        header[5] = compacted ? CompactedFlag : (byte)0;
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(8), generation);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(16), tableEntries);
        return header;
    }

    /// <summary>A fresh random generation: tells a compacted file from the one it replaced (translation tables are cached by it).</summary>
    public static long Generation() => BitConverter.ToInt64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));

    /// <summary>The header of a version 2 record for <paramref name="logicalName"/> with <paramref name="dataLength"/> bytes of data, written at <paramref name="writtenAt"/>.</summary>
    public static byte[] RecordHeader(string logicalName, int dataLength, DateTimeOffset writtenAt)
    {
        var name = Encoding.UTF8.GetBytes(logicalName);
        if (name.Length > MaxNameLength) throw new ArgumentException($"Blob name '{logicalName}' is too long to pack.", nameof(logicalName));
        var header = new byte[RecordFixedLength + name.Length];
        RecordMagic.CopyTo(header, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), (ushort)name.Length);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(6), dataLength);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(10), writtenAt.ToUnixTimeMilliseconds());
        name.CopyTo(header, RecordFixedLength);
        return header;
    }

    /// <summary>The header of the file, or null for a version 1 file (or an empty one).</summary>
    public static SegmentHeader? ReadHeader(SafeFileHandle handle)
    {
        Span<byte> bytes = stackalloc byte[HeaderLength];
        if (RandomAccess.Read(handle, bytes, 0) < HeaderLength || !bytes[..4].SequenceEqual(FileMagic)) return null;
        if (bytes[4] != Version) throw new InvalidDataException($"Segment version {bytes[4]} is not known to this release.");
        return new SegmentHeader((bytes[5] & CompactedFlag) != 0, BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]),
            BinaryPrimitives.ReadInt32LittleEndian(bytes[16..]));
    }

    /// <summary>Where the records of a version 2 file start.</summary>
    public static long RecordsStart(SegmentHeader header) => HeaderLength + (long)header.TableEntries * TableEntryLength;

    /// <summary>The translation table of a compacted file: original offset to current offset, sorted by original offset.</summary>
    public static (long[] Original, long[] Current) ReadTable(SafeFileHandle handle, SegmentHeader header)
    {
        var count = header.TableEntries;
        var bytes = new byte[(long)count * TableEntryLength];
        if (RandomAccess.Read(handle, bytes, HeaderLength) < bytes.Length) throw new InvalidDataException("Segment translation table is truncated.");
        var original = new long[count];
        var current = new long[count];
        for (var i = 0; i < count; i++)
        {
            original[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(i * TableEntryLength));
            current[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(i * TableEntryLength + 8));
        }
        return (original, current);
    }

    /// <summary>
    /// The record at <paramref name="offset"/> of a version 2 file, or null past the end or where no well-formed
    /// record starts (the torn tail of a write that was never acknowledged).
    /// </summary>
    public static SegmentRecord? ReadRecord(SafeFileHandle handle, long offset, long fileLength)
    {
        if (offset + RecordFixedLength > fileLength) return null;
        Span<byte> fixedPart = stackalloc byte[RecordFixedLength];
        if (RandomAccess.Read(handle, fixedPart, offset) < RecordFixedLength) return null;
        var live = fixedPart[..4].SequenceEqual(RecordMagic);
        if (!live && BinaryPrimitives.ReadInt32LittleEndian(fixedPart) != 0) return null;
        var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(fixedPart[4..]);
        var dataLength = BinaryPrimitives.ReadInt32LittleEndian(fixedPart[6..]);
        var writtenAt = BinaryPrimitives.ReadInt64LittleEndian(fixedPart[10..]);
        if (nameLength > MaxNameLength || dataLength < 0 || offset + RecordFixedLength + nameLength + dataLength > fileLength) return null;
        var name = new byte[nameLength];
        if (RandomAccess.Read(handle, name, offset + RecordFixedLength) < nameLength) return null;
        return new SegmentRecord(offset, offset, Encoding.UTF8.GetString(name), RecordFixedLength + nameLength, dataLength, live,
            DateTimeOffset.FromUnixTimeMilliseconds(writtenAt));
    }
}
