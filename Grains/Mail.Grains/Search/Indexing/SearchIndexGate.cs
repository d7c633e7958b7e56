using Microsoft.Extensions.Options;

namespace Mail.Grains.Search.Indexing;

/// <summary>
/// Bounds the catch-ups one silo runs at once to <see cref="SearchOptions.IndexParallelism"/> (one per silo, shared by
/// every indexer activation). A mailbox waiting here keeps collecting changes, which its turn then indexes in one batch.
/// </summary>
public sealed class SearchIndexGate(IOptions<SearchOptions> options)
{
    private readonly SemaphoreSlim _slots = new(options.Value.IndexParallelism);

    /// <summary>Runs <paramref name="pass"/> when a slot is free.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> pass)
    {
        await _slots.WaitAsync();
        try
        {
            return await pass();
        }
        finally
        {
            _slots.Release();
        }
    }
}
