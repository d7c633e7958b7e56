using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Mail.Storage.Blobs;

/// <summary>
/// Appends small blobs to one segment file of a directory with group commit: every blob that arrives while
/// a batch is being written and flushed goes into the next batch, which costs one vectored write and one
/// fsync however many blobs it holds (Dovecot's mdbox packs messages the same way). A blob's append
/// completes only after the fsync that covers it. A segment is never appended to again after a failure
/// or a restart: its tail is then unknown, so the next batch starts a new segment. An idle writer closes
/// its file (<see cref="CloseIfIdle"/>) and reopens it for the next batch, so idle tenants hold no descriptor.
/// </summary>
internal sealed class SegmentWriter(string directory, long maxSegmentBytes)
{
    /// <summary>The four bytes that start every record; a deleted record has them zeroed.</summary>
    public static readonly byte[] RecordMagic = "MLS1"u8.ToArray();

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

    /// <summary>Appends <paramref name="data"/> (which the caller keeps unchanged until completion) and returns its locator once durable.</summary>
    public Task<PackedBlobLocation> AppendAsync(ReadOnlyMemory<byte> data)
    {
        var pending = new Pending(data, new TaskCompletionSource<PackedBlobLocation>(TaskCreationOptions.RunContinuationsAsynchronously));
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
        var size = batch.Sum(p => (long)RecordMagic.Length + p.Data.Length);
        var created = false;
        if (_segment is null && _reopenable && _length + size <= maxSegmentBytes)
        {
            _reopenable = false;
            try
            {
                _segment = File.OpenHandle(Path.Combine(directory, _segmentId + PackedBlobLocation.SegmentExtension),
                    FileMode.Open, FileAccess.Write, FileShare.Read | FileShare.Delete);
            }
            catch (IOException)
            {
                // Gone or unusable: a new segment follows.
            }
        }
        if (_segment is null || _length > 0 && _length + size > maxSegmentBytes)
        {
            _segment?.Dispose();
            _segmentId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(PackedBlobLocation.SegmentIdLength / 2));
            _segment = File.OpenHandle(Path.Combine(directory, _segmentId + PackedBlobLocation.SegmentExtension),
                FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete);
            _length = 0;
            created = true;
        }
        var buffers = new List<ReadOnlyMemory<byte>>(batch.Count * 2);
        var locations = new PackedBlobLocation[batch.Count];
        var offset = _length;
        for (var i = 0; i < batch.Count; i++)
        {
            buffers.Add(RecordMagic);
            buffers.Add(batch[i].Data);
            locations[i] = new PackedBlobLocation(_segmentId, offset, batch[i].Data.Length);
            offset += RecordMagic.Length + batch[i].Data.Length;
        }
        RandomAccess.Write(_segment, buffers, _length);
        RandomAccess.FlushToDisk(_segment);
        // A new segment's directory entry must be durable too before anything in it is acknowledged.
        if (created) DirectorySync.Flush(directory);
        _length = offset;
        return locations;
    }

    private sealed record Pending(ReadOnlyMemory<byte> Data, TaskCompletionSource<PackedBlobLocation> Completion);
}
