namespace Mail.Storage.Blobs;

/// <summary>Configuration of the blob store: which backend keeps the bytes, where, and where the tenant keys live.</summary>
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

    /// <summary>Directory of the per-tenant key files (<see cref="FileTenantKeyStore"/>).</summary>
    public string? KeyDirectory { get; set; }
}
