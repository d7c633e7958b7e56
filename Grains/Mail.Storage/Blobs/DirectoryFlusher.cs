namespace Mail.Storage.Blobs;

/// <summary>
/// Group commit of directory fsyncs: a caller waits for a flush that starts after it asked, and every
/// caller that asks while a flush runs shares the next one, so N concurrent new files cost about two
/// directory fsyncs instead of N.
/// </summary>
internal sealed class DirectoryFlusher(string directory)
{
    private readonly Lock _gate = new();
    private TaskCompletionSource? _next;
    private bool _running;

    /// <summary>Completes once a directory fsync that began after this call has finished.</summary>
    public Task FlushAsync()
    {
        lock (_gate)
        {
            if (_next is not null) return _next.Task;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var batch = _next.Task;
            if (!_running)
            {
                _running = true;
                _ = Task.Run(Run);
            }
            return batch;
        }
    }

    private void Run()
    {
        while (true)
        {
            TaskCompletionSource batch;
            lock (_gate)
            {
                if (_next is null)
                {
                    _running = false;
                    return;
                }
                batch = _next;
                _next = null;
            }
            try
            {
                DirectorySync.Flush(directory);
                batch.SetResult();
            }
            catch (Exception e)
            {
                batch.SetException(e);
            }
        }
    }
}
