using Mail.Storage.Keys;

namespace Mail.Storage.Blobs;

/// <summary>Builds the configured <see cref="IBlobStore"/>: encryption under the tenant keys over the filesystem or Azure Blob Storage.</summary>
public static class BlobStoreFactory
{
    /// <summary>Creates the store; relative or missing paths default to folders under <paramref name="dataDir"/>.</summary>
    public static async Task<IBlobStore> CreateAsync(BlobStoreOptions options, string dataDir, ITenantKeyStore keys, CancellationToken ct = default) =>
        new EncryptedBlobStore(await CreateRawAsync(options, dataDir, ct), keys);

    /// <summary>The raw store under the encryption (filesystem or Azure Blob); the host hands it to the blob collector as <see cref="IBlobStoreMaintenance"/>.</summary>
    public static async Task<IRawBlobStore> CreateRawAsync(BlobStoreOptions options, string dataDir, CancellationToken ct = default) =>
        options.Kind.ToLowerInvariant() switch
        {
            BlobStoreOptions.FileSystemKind => new FileSystemBlobStore(options.FileSystemRoot ?? Path.Combine(dataDir, "blobs"), options.PackedBlobMaxBytes),
            BlobStoreOptions.AzureKind => await AzureBlobStore.CreateAsync(
                options.AzureConnectionString ?? throw new InvalidOperationException("The azure blob store needs MAIL_AZURE_BLOB (a connection string)."),
                options.AzureContainer, ct),
            _ => throw new InvalidOperationException($"Unknown blob store kind '{options.Kind}': use 'filesystem' or 'azure'."),
        };

    /// <summary>Where the plaintext per-tenant key files of earlier releases are looked for, to be imported (<see cref="LegacyTenantKeyImport"/>).</summary>
    public static string LegacyKeyDirectory(BlobStoreOptions options, string dataDir) =>
        Path.Combine(dataDir, options.KeyDirectory ?? "keys");
}
