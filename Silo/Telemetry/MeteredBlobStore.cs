using System.Diagnostics;
using Mail.Grains.Interfaces.Diagnostics;
using Mail.Storage.Blobs;

namespace Mail.Silo.Telemetry;

/// <summary>Records how long each call of the blob store underneath takes (<see cref="MailTelemetry.BlobDuration"/>), by operation and outcome.</summary>
public sealed class MeteredBlobStore(IBlobStore inner) : IBlobStore
{
    /// <inheritdoc />
    public Task<BlobRef> PutAsync(string tenantId, Stream plaintext, CancellationToken ct) => TimeAsync("put", () => inner.PutAsync(tenantId, plaintext, ct));

    /// <inheritdoc />
    public Task<Stream> OpenReadAsync(string tenantId, BlobRef blob, CancellationToken ct) => TimeAsync("read", () => inner.OpenReadAsync(tenantId, blob, ct));

    /// <inheritdoc />
    public Task DeleteAsync(string tenantId, BlobRef blob, CancellationToken ct) => TimeAsync("delete", async () =>
    {
        await inner.DeleteAsync(tenantId, blob, ct);
        return true;
    });

    private static async Task<T> TimeAsync<T>(string operation, Func<Task<T>> call)
    {
        var start = Stopwatch.GetTimestamp();
        var outcome = "error";
        try
        {
            var result = await call();
            outcome = "ok";
            return result;
        }
        finally
        {
            MailTelemetry.BlobDuration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds,
                new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("outcome", outcome));
        }
    }
}
