using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Mail.Storage.Blobs;

/// <summary>
/// Appends small blobs to one segment file of a directory with group commit: every blob that arrives while
/// a batch is being written and flushed goes into the next batch, which costs one vectored write and one
/// fsync however many blobs it holds (Dovecot's mdbox packs messages the same way). A blob's append
/// completes only after the fsync that covers it. A segment is never appended to again after a failure
/// or a restart: its tail is then unknown, so the next batch starts a new segment. An idle writer closes
/// its file (<see cref="CloseIfIdle"/>) and reopens it for the next batch, so idle tenants hold no descriptor, but only
/// within <see cref="ReopenWindow"/> of its last write: a segment idle for longer is sealed for good, which is what lets
/// the compactor rewrite segments whose last record is older than that (<see cref="SegmentCompactor"/>).
/// Records are in <see cref="SegmentFormat"/> version 2: a new file starts with its header.
/// </summary>
internal sealed class SegmentWriter(string directory, long maxSegmentBytes)
{
    /// <summary>How long after its last write an idle writer may still reopen its segment; after that it starts a new one.</summary>
    public static readonly TimeSpan ReopenWindow = TimeSpan.FromMinutes(10);

    // Most blobs per batch: two I/O vectors each stay under Linux's IOV_MAX (1024) for the one pwritev.
    private const int MaxBatch = 256;

    private readonly Lock _gate = new();
    private List<Pending> _queue = [];
    private bool _running;
    private SafeFileHandle? _segment;
    private string _segmentId = "";
    private long _length;
    private bool _reopenable;
    private long _batches;
    private long _batchesAtLastCheck;
    private DateTimeOffset _lastWrite;

    /// <summary>The path of the segment this writer appends to (or may reopen), or null: the compactor leaves it alone.</summary>
    public string? CurrentSegmentPath
    {
        get
        {
            lock (_gate) return _segmentId.Length == 0 ? null : Path.Combine(directory, _segmentId + PackedBlobLocation.SegmentExtension);
        }
    }

    /// <summary>
    /// Appends <paramref name="data"/> (which the caller keeps unchanged until completion) as the record of
    /// <paramref name="logicalName"/> and returns its locator once durable.
    /// </summary>
    public Task<PackedBlobLocation> AppendAsync(string logicalName, ReadOnlyMemory<byte> data)
    {
        var pending = new Pending(SegmentFormat.RecordHeader(logicalName, data.Length, DateTimeOffset.UtcNow), data,
            new TaskCompletionSource<PackedBlobLocation>(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_gate)
        {
            _queue.Add(pending);
            if (!_running)
            {
                _running = true;
                _ = Task.Run(Run);
            }
        }
        return pending.Completion.Task;
    }

    /// <summary>
    /// Closes the segment file if no batch was written since the previous call; the next batch reopens it and
    /// appends where the last one ended (this writer is its only writer, and its last batch was flushed).
    /// </summary>
    public void CloseIfIdle()
    {
        lock (_gate)
        {
            var busy = _running || _batches != _batchesAtLastCheck;
            _batchesAtLastCheck = _batches;
            if (busy || _segment is null) return;
            _segment.Dispose();
            _segment = null;
            _reopenable = true;
        }
    }

    private void Run()
    {
        while (true)
        {
            List<Pending> batch;
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    _running = false;
                    return;
                }
                if (_queue.Count <= MaxBatch)
                {
                    batch = _queue;
                    _queue = [];
                }
                else
                {
                    batch = _queue.GetRange(0, MaxBatch);
                    _queue.RemoveRange(0, MaxBatch);
                }
            }
            try
            {
                var locations = Write(batch);
                for (var i = 0; i < batch.Count; i++) batch[i].Completion.SetResult(locations[i]);
            }
            catch (Exception e)
            {
                _segment?.Dispose();
                _segment = null;
                _reopenable = false;
                foreach (var pending in batch) pending.Completion.SetException(e);
            }
            Interlocked.Increment(ref _batches);
        }
    }

    private PackedBlobLocation[] Write(List<Pending> batch)
    {
        var size = batch.Sum(p => (long)p.Header.Length + p.Data.Length);
        var now = DateTimeOffset.UtcNow;
        var created = false;
        if (_segment is null && _reopenable && _length + size <= maxSegmentBytes && now - _lastWrite < ReopenWindow)
        {
            _reopenable = false;
            try
            {
                _segment = File.OpenHandle(Path.Combine(directory, _segmentId + PackedBlobLocation.SegmentExtension),
                    FileMode.Open, FileAccess.Write, FileShare.Read | FileShare.Delete);
                if (RandomAccess.GetLength(_segment) != _length)
                {
                    // Not the file this writer left (rewritten or damaged meanwhile): never append to it.
                    _segment.Dispose();
                    _segment = null;
                }
            }
            catch (IOException)
            {
                // Gone or unusable: a new segment follows.
            }
        }
        _reopenable = false;
        var buffers = new List<ReadOnlyMemory<byte>>(batch.Count * 2 + 1);
        if (_segment is null || _length > 0 && _length + size > maxSegmentBytes)
        {
            _segment?.Dispose();
            lock (_gate) _segmentId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(PackedBlobLocation.SegmentIdLength / 2));
            _segment = File.OpenHandle(Path.Combine(directory, _segmentId + PackedBlobLocation.SegmentExtension),
                FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete);
            _length = 0;
            created = true;
            buffers.Add(SegmentFormat.NewHeader());
        }
        var start = _length;
        var offset = created ? SegmentFormat.HeaderLength : _length;
        var locations = new PackedBlobLocation[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            buffers.Add(batch[i].Header);
            buffers.Add(batch[i].Data);
            locations[i] = new PackedBlobLocation(_segmentId, offset, batch[i].Data.Length);
            offset += batch[i].Header.Length + batch[i].Data.Length;
        }
        RandomAccess.Write(_segment, buffers, start);
        RandomAccess.FlushToDisk(_segment);
        // A new segment's directory entry must be durable too before anything in it is acknowledged.
        if (created) DirectorySync.Flush(directory);
        _length = offset;
        _lastWrite = now;
        return locations;
    }

    private sealed record Pending(byte[] Header, ReadOnlyMemory<byte> Data, TaskCompletionSource<PackedBlobLocation> Completion);
}
