namespace Mail.Storage.Blobs;

/// <summary>A stored message's content: an opaque blob name and the plaintext length in bytes.</summary>
public sealed record BlobRef(string Name, long Length);
