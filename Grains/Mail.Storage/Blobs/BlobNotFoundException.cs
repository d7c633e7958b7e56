namespace Mail.Storage.Blobs;

/// <summary>Thrown when a referenced blob does not exist in the store.</summary>
public sealed class BlobNotFoundException(string blobName)
    : Exception($"Blob '{blobName}' does not exist.")
{
    /// <summary>The name of the missing blob.</summary>
    public string BlobName { get; } = blobName;
}
