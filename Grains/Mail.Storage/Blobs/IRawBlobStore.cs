namespace Mail.Storage.Blobs;

/// <summary>Raw byte storage by name (filesystem or Azure Blob). Knows nothing of tenants or encryption.</summary>
public interface IRawBlobStore
{
    /// <summary>Stores <paramref name="content"/> under <paramref name="name"/>, replacing any previous blob; durable when the task completes.</summary>
    Task WriteAsync(string name, Stream content, CancellationToken ct);

    /// <summary>Opens the blob for sequential reading, or returns null if it does not exist.</summary>
    Task<Stream?> OpenReadAsync(string name, CancellationToken ct);

    /// <summary>Deletes the blob; returns false if it did not exist.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken ct);
}
