namespace Mail.Storage.Blobs;

/// <summary>Raw byte storage by name (filesystem or Azure Blob). Knows nothing of tenants or encryption.</summary>
public interface IRawBlobStore
{
    /// <summary>
    /// Stores <paramref name="content"/> under <paramref name="name"/> (callers write each name once); durable when the
    /// task completes. Returns the name to read it by: <paramref name="name"/> itself, or <paramref name="name"/> followed by
    /// <see cref="BlobName.LocatorSeparator"/> and a store-specific locator (where a packed blob sits).
    /// </summary>
    Task<string> WriteAsync(string name, Stream content, CancellationToken ct);

    /// <summary>Opens the blob for sequential reading, or returns null if it does not exist.</summary>
    Task<Stream?> OpenReadAsync(string name, CancellationToken ct);

    /// <summary>Deletes the blob; returns false if it did not exist.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken ct);
}
