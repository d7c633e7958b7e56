namespace Mail.Grains.Search.Indexing;

/// <summary>
/// Runs one pass at a time and coalesces requests: one pass in flight plus at most one queued behind it, which serves
/// every request that arrives while the first runs. So each request is answered by a pass that started after it, and a
/// burst of requests costs two passes, not one each. Not thread-safe: made for a grain activation's one-at-a-time scheduler.
/// </summary>
public sealed class CoalescedRunner<T>(Func<Task<T>> pass)
{
    private TaskCompletionSource<T>? _running;
    private TaskCompletionSource<T>? _queued;

    /// <summary>Whether no pass runs now.</summary>
    public bool Idle => _running is null;

    /// <summary>Starts a pass, or joins the one queued behind the running pass; completes with that pass's result.</summary>
    public Task<T> RequestAsync()
    {
        if (_running is not null)
        {
            _queued ??= new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            return _queued.Task;
        }
        var first = _running = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = RunAsync();
        return first.Task;
    }

    private async Task RunAsync()
    {
        while (_running is { } current)
        {
            try
            {
                current.SetResult(await pass());
            }
            catch (Exception e)
            {
                current.SetException(e);
            }
            _running = _queued;
            _queued = null;
        }
    }
}
