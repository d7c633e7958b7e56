namespace Mail.Storage.Blobs;

/// <summary>Builds the configured <see cref="IBlobStore"/>: encryption over the filesystem or Azure Blob Storage.</summary>
public static class BlobStoreFactory
{
    /// <summary>Creates the store; relative or missing paths default to folders under <paramref name="dataDir"/>.</summary>
    public static async Task<IBlobStore> CreateAsync(BlobStoreOptions options, string dataDir, CancellationToken ct = default)
    {
        var keys = CreateKeyStore(options, dataDir);
        IRawBlobStore raw = options.Kind.ToLowerInvariant() switch
        {
            BlobStoreOptions.FileSystemKind => new FileSystemBlobStore(options.FileSystemRoot ?? Path.Combine(dataDir, "blobs"), options.PackedBlobMaxBytes),
            BlobStoreOptions.AzureKind => await AzureBlobStore.CreateAsync(
                options.AzureConnectionString ?? throw new InvalidOperationException("The azure blob store needs MAIL_AZURE_BLOB (a connection string)."),
                options.AzureContainer, ct),
            _ => throw new InvalidOperationException($"Unknown blob store kind '{options.Kind}': use 'filesystem' or 'azure'."),
        };
        return new EncryptedBlobStore(raw, keys);
    }

    /// <summary>The per-tenant key store the blob store encrypts with, for other data sealed under the same tenant keys.</summary>
    public static ITenantKeyStore CreateKeyStore(BlobStoreOptions options, string dataDir) =>
        new FileTenantKeyStore(options.KeyDirectory ?? Path.Combine(dataDir, "keys"));
}
