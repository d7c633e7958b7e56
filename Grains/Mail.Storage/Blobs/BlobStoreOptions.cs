namespace Mail.Storage.Blobs;

/// <summary>Configuration of the blob store: which backend keeps the bytes, where, and where the tenant key files of earlier releases are imported from.</summary>
public sealed class BlobStoreOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "BlobStore";

    /// <summary>The <see cref="Kind"/> for <see cref="FileSystemBlobStore"/>.</summary>
    public const string FileSystemKind = "filesystem";

    /// <summary>The <see cref="Kind"/> for <see cref="AzureBlobStore"/>.</summary>
    public const string AzureKind = "azure";

    /// <summary>"filesystem" (default) or "azure".</summary>
    public string Kind { get; set; } = FileSystemKind;

    /// <summary>Root directory of the filesystem store; required when <see cref="Kind"/> is "filesystem".</summary>
    public string? FileSystemRoot { get; set; }

    /// <summary>Azure Storage connection string; required when <see cref="Kind"/> is "azure".</summary>
    public string? AzureConnectionString { get; set; }

    /// <summary>Container holding the blobs when <see cref="Kind"/> is "azure".</summary>
    public string AzureContainer { get; set; } = "mail-blobs";

    /// <summary>
    /// Largest blob the filesystem store packs into a shared segment file (group-committed, one fsync per batch)
    /// instead of a file of its own; 0 gives every blob its own file. Default 256 KiB (most mail is smaller).
    /// </summary>
    public int PackedBlobMaxBytes { get; set; } = FileSystemBlobStore.DefaultPackedBlobMaxBytes;

    /// <summary>
    /// Directory of the plaintext per-tenant key files of releases before wrapped keys (default "keys" in the data
    /// directory): imported at start into PostgreSQL as key version 0, wrapped under the master key, then deleted.
    /// </summary>
    public string? KeyDirectory { get; set; }
}
