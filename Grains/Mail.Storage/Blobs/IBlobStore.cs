namespace Mail.Storage.Blobs;

/// <summary>Encrypted, tenant-scoped message content: the type the rest of the system uses.</summary>
public interface IBlobStore
{
    /// <summary>Streams <paramref name="plaintext"/> into a new encrypted blob; returns once the blob is durable. Store once and give the reference to every recipient.</summary>
    Task<BlobRef> PutAsync(string tenantId, Stream plaintext, CancellationToken ct);

    /// <summary>Opens a decrypting stream over the blob; throws <see cref="BlobNotFoundException"/> if it is missing, and the stream throws <see cref="BlobCorruptException"/> rather than yield unauthenticated bytes.</summary>
    Task<Stream> OpenReadAsync(string tenantId, BlobRef blob, CancellationToken ct);

    /// <summary>Deletes the blob; deleting a missing blob is not an error.</summary>
    Task DeleteAsync(string tenantId, BlobRef blob, CancellationToken ct);
}
