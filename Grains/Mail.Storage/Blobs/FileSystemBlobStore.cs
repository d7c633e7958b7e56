using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Mail.Storage.Blobs;

/// <summary>
/// Stores raw blobs under a root directory, durable (fsynced, directory entries included) before a write returns.
/// Blobs up to a size limit are packed into shared segment files with group commit (<see cref="SegmentWriter"/>):
/// creating, fsyncing and closing a file per message was a fifth of the server's CPU per SMTP message, in I/O
/// submissions. Larger blobs stream into a file of their own, never held in memory. Segments whose blobs are mostly
/// deleted are rewritten with only the live ones (<see cref="CompactAsync"/>, <see cref="SegmentCompactor"/>).
/// </summary>
public sealed class FileSystemBlobStore : IRawBlobStore, IBlobStoreMaintenance
{
    /// <summary>The default of <see cref="BlobStoreOptions.PackedBlobMaxBytes"/>.</summary>
    public const int DefaultPackedBlobMaxBytes = 256 * 1024;

    // Segment files are rolled over at this size.
    private const long MaxSegmentBytes = 64L * 1024 * 1024;

    // How often segment writers that wrote nothing for a whole period close their file.
    private static readonly TimeSpan IdleSweepPeriod = TimeSpan.FromSeconds(30);

    private readonly string _root;
    private readonly int _packedBlobMaxBytes;

    // Directories whose entry chain up to the root this process has already fsynced; a new
    // tenant or month directory is only durable once its parent has been flushed, and doing it
    // once per process (not once per creator) also covers a directory another writer created.
    private readonly ConcurrentDictionary<string, bool> _durableDirectories = new(StringComparer.Ordinal);

    // One group-committing flusher per directory: concurrent writers share a directory fsync.
    private readonly ConcurrentDictionary<string, DirectoryFlusher> _flushers = new(StringComparer.Ordinal);

    // One segment writer per directory (tenant and month) for packed blobs.
    private readonly ConcurrentDictionary<string, SegmentWriter> _segments = new(StringComparer.Ordinal);

    // Closes the files of segment writers idle for a whole period, started with the first writer.
    private Timer? _idleSweep;

    private readonly SegmentLocator _locator = new();

    // Deletes in a segment and its compaction exclude each other (striped by path: a lock per segment would pile up).
    private readonly Lock[] _segmentLocks = Enumerable.Range(0, 64).Select(_ => new Lock()).ToArray();

    /// <summary>Creates a store rooted at <paramref name="rootDirectory"/>, creating the directory if needed.</summary>
    public FileSystemBlobStore(string rootDirectory, int packedBlobMaxBytes = DefaultPackedBlobMaxBytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        ArgumentOutOfRangeException.ThrowIfNegative(packedBlobMaxBytes);
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootDirectory));
        _packedBlobMaxBytes = packedBlobMaxBytes;
        Directory.CreateDirectory(_root);
    }

    /// <inheritdoc />
    public async Task<string> WriteAsync(string name, Stream content, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (name?.Contains(BlobName.LocatorSeparator) == true)
            throw new ArgumentException($"Blob name '{name}' contains the reserved '{BlobName.LocatorSeparator}'.", nameof(name));
        var path = Resolve(name!);
        var directory = Path.GetDirectoryName(path)!;
        EnsureDurableDirectory(directory);

        var head = new PooledHead();
        try
        {
            if (_packedBlobMaxBytes > 0 && await head.FillAsync(content, _packedBlobMaxBytes, ct))
            {
                var location = await _segments.GetOrAdd(directory, NewSegmentWriter).AppendAsync(name!, head.Bytes);
                return name + BlobName.LocatorSeparator + location;
            }
            await WriteFileAsync(path, head.Bytes, content, ct);
        }
        finally
        {
            head.Dispose();
        }
        await _flushers.GetOrAdd(directory, d => new DirectoryFlusher(d)).FlushAsync();
        return name!;
    }

    /// <inheritdoc />
    public Task<Stream?> OpenReadAsync(string name, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (TryResolvePacked(name, out var segmentPath, out var location, out var logical))
        {
            var handle = OpenSegment(segmentPath, FileAccess.Read);
            if (handle is null) return Task.FromResult<Stream?>(null);
            if (_locator.Find(handle, segmentPath, location, logical) is not { } record)
            {
                handle.Dispose();
                return Task.FromResult<Stream?>(null);
            }
            return Task.FromResult<Stream?>(new SliceReadStream(handle, record.DataOffset, record.DataLength));
        }
        var path = Resolve(name);
        try
        {
            Stream stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read | FileShare.Delete,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            });
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string name, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (TryResolvePacked(name, out var segmentPath, out var location, out var logical))
        {
            // A packed record is deleted by zeroing its magic (durably); its bytes stay until the segment is compacted.
            lock (SegmentLock(segmentPath))
            {
                using var handle = OpenSegment(segmentPath, FileAccess.ReadWrite);
                if (handle is null || _locator.Find(handle, segmentPath, location, logical) is not { } record) return Task.FromResult(false);
                RandomAccess.Write(handle, new byte[SegmentFormat.RecordMagic.Length], record.Offset);
                RandomAccess.FlushToDisk(handle);
                return Task.FromResult(true);
            }
        }
        var path = Resolve(name);
        if (!File.Exists(path)) return Task.FromResult(false);
        // No directory fsync: a delete lost in a crash leaves an unreferenced blob, never a missing one.
        File.Delete(path);
        return Task.FromResult(true);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<WrittenBlob> ListWrittenAsync(DateTimeOffset since, DateTimeOffset until, [EnumeratorCancellation] CancellationToken ct)
    {
        // Names carry the month they were made in, a moment before they were written: only those months are walked.
        var firstMonth = since == DateTimeOffset.MinValue ? DateTimeOffset.MinValue : since.AddDays(-1);
        foreach (var tenant in Directory.EnumerateDirectories(_root))
        {
            foreach (var year in Directory.EnumerateDirectories(tenant))
            {
                foreach (var month in Directory.EnumerateDirectories(year))
                {
                    if (!TryMonth(Path.GetFileName(year), Path.GetFileName(month), out var start)) continue;
                    if (start.AddMonths(1) <= firstMonth || start >= until) continue;
                    foreach (var file in Directory.EnumerateFiles(month))
                    {
                        ct.ThrowIfCancellationRequested();
                        foreach (var blob in Written(file, since, until)) yield return blob;
                    }
                    await Task.Yield();
                }
            }
        }
    }

    /// <inheritdoc />
    public Task<long> CompactAsync(IEnumerable<string> deletedNames, CompactionPolicy policy, CancellationToken ct)
    {
        var active = _segments.Values.Select(w => w.CurrentSegmentPath).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var segments = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in deletedNames)
        {
            if (TryResolvePacked(name, out var segmentPath, out _, out _)) segments.Add(segmentPath);
        }
        long reclaimed = 0;
        var now = DateTimeOffset.UtcNow;
        foreach (var segment in segments)
        {
            ct.ThrowIfCancellationRequested();
            // This process's writers may append to their current segments whatever their age.
            if (active.Contains(segment)) continue;
            lock (SegmentLock(segment)) reclaimed += SegmentCompactor.Compact(segment, _locator, policy, now);
        }
        return Task.FromResult(reclaimed);
    }

    /// <summary>The live blobs of one file of the store written in [since, until): a blob file itself, or a segment's records.</summary>
    private List<WrittenBlob> Written(string file, DateTimeOffset since, DateTimeOffset until)
    {
        var result = new List<WrittenBlob>();
        var name = Path.GetFileName(file);
        var modified = new DateTimeOffset(File.GetLastWriteTimeUtc(file));
        // Appending and deleting both touch the file: nothing in it was written after it was last modified.
        if (modified < since) return result;
        if (name.EndsWith(PackedBlobLocation.SegmentExtension, StringComparison.Ordinal))
        {
            var segmentId = name[..^PackedBlobLocation.SegmentExtension.Length];
            using var handle = OpenSegment(file, FileAccess.Read);
            if (handle is null || _locator.Scan(handle, file, out _) is not { } records) return result;
            foreach (var record in records)
            {
                if (!record.Live || record.WrittenAt < since || record.WrittenAt >= until) continue;
                var location = new PackedBlobLocation(segmentId, record.OriginalOffset, record.DataLength);
                result.Add(new WrittenBlob(record.LogicalName + BlobName.LocatorSeparator + location, record.WrittenAt));
            }
            return result;
        }
        // Anything else with an extension is not a blob (a compaction's temporary file, say).
        if (name.Contains('.') || modified >= until) return result;
        result.Add(new WrittenBlob(Path.GetRelativePath(_root, file).Replace(Path.DirectorySeparatorChar, '/'), modified));
        return result;
    }

    private static bool TryMonth(string year, string month, out DateTimeOffset start)
    {
        start = default;
        if (!int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var y) || y is < 1 or > 9999) return false;
        if (!int.TryParse(month, NumberStyles.None, CultureInfo.InvariantCulture, out var m) || m is < 1 or > 12) return false;
        start = new DateTimeOffset(y, m, 1, 0, 0, 0, TimeSpan.Zero);
        return true;
    }

    private Lock SegmentLock(string segmentPath) => _segmentLocks[(StringComparer.Ordinal.GetHashCode(segmentPath) & int.MaxValue) % _segmentLocks.Length];

    private SegmentWriter NewSegmentWriter(string directory)
    {
        if (_idleSweep is null)
        {
            var sweep = new Timer(_ => CloseIdleSegments(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            if (Interlocked.CompareExchange(ref _idleSweep, sweep, null) is null) sweep.Change(IdleSweepPeriod, IdleSweepPeriod);
            else sweep.Dispose();
        }
        return new SegmentWriter(directory, MaxSegmentBytes);
    }

    /// <summary>Closes the segment file of every writer that wrote nothing since the previous sweep (runs every 30 s by itself).</summary>
    public void CloseIdleSegments()
    {
        foreach (var writer in _segments.Values) writer.CloseIfIdle();
    }

    private static async Task WriteFileAsync(string path, ReadOnlyMemory<byte> head, Stream rest, CancellationToken ct)
    {
        // Written under its final name: names are random and unknown to anyone until the mailbox row that
        // references the blob commits, which happens only after this returns, so no reader can see a
        // partial file, and a crash leaves at most an unreferenced one. That spares a rename per message.
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 0,
            };
            await using var file = new FileStream(path, options);
            await file.WriteAsync(head, ct);
            await rest.CopyToAsync(file, ct);
            file.Flush(flushToDisk: true);
        }
        catch
        {
            DeleteQuietly(path);
            throw;
        }
    }

    /// <summary>Whether the name carries a packed locator; if so, the segment file's path, the record's place and the logical name.</summary>
    private bool TryResolvePacked(string name, out string segmentPath, out PackedBlobLocation location, out string logical)
    {
        segmentPath = "";
        location = default;
        logical = "";
        ArgumentNullException.ThrowIfNull(name);
        var separator = name.IndexOf(BlobName.LocatorSeparator);
        if (separator < 0) return false;
        if (!PackedBlobLocation.TryParse(name[(separator + 1)..], out location))
            throw new ArgumentException($"Blob name '{name}' has a malformed locator.", nameof(name));
        logical = name[..separator];
        var path = Resolve(logical);
        segmentPath = Path.Combine(Path.GetDirectoryName(path)!, location.Segment + PackedBlobLocation.SegmentExtension);
        return true;
    }

    private static Microsoft.Win32.SafeHandles.SafeFileHandle? OpenSegment(string path, FileAccess access)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, access, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    // Best effort: failing to remove the temp file must not hide why the write failed.
    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private string Resolve(string name)
    {
        RawBlobName.Validate(name);
        var path = Path.GetFullPath(Path.Combine(_root, name));
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"Blob name '{name}' resolves outside the store root.", nameof(name));
        return path;
    }

    private void EnsureDurableDirectory(string directory)
    {
        Directory.CreateDirectory(directory);
        if (_durableDirectories.ContainsKey(directory)) return;
        for (var parent = Path.GetDirectoryName(directory);
             parent is not null && parent.Length >= _root.Length;
             parent = Path.GetDirectoryName(parent))
        {
            DirectorySync.Flush(parent);
        }
        _durableDirectories.TryAdd(directory, true);
    }
}
