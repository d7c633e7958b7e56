namespace Mail.Storage.Blobs;

/// <summary>Thrown when a blob's bytes fail authentication or framing: altered, truncated, extended or moved from another name or tenant.</summary>
public sealed class BlobCorruptException(string blobName, string reason, Exception? innerException = null)
    : Exception($"Blob '{blobName}' is corrupt: {reason}.", innerException)
{
    /// <summary>The name of the corrupt blob.</summary>
    public string BlobName { get; } = blobName;
}
