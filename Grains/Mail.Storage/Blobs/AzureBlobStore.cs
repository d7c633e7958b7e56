using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Mail.Storage.Blobs;

/// <summary>Stores raw blobs as block blobs in one Azure Blob Storage container.</summary>
public sealed class AzureBlobStore(BlobContainerClient container) : IRawBlobStore
{
    // The upload source is a non-seekable encrypting stream of unknown length. The SDK's default
    // single-shot threshold (256 MiB) would buffer a whole message in memory before sending it;
    // 4 MiB blocks with bounded concurrency keep memory per upload at a few blocks.
    private static readonly StorageTransferOptions TransferOptions = new()
    {
        InitialTransferSize = 4 * 1024 * 1024,
        MaximumTransferSize = 4 * 1024 * 1024,
        MaximumConcurrency = 2,
    };

    /// <summary>Connects to <paramref name="containerName"/>, creating the container if it does not exist.</summary>
    public static async Task<AzureBlobStore> CreateAsync(string connectionString, string containerName, CancellationToken ct = default)
    {
        var client = new BlobContainerClient(connectionString, containerName);
        await client.CreateIfNotExistsAsync(cancellationToken: ct);
        return new AzureBlobStore(client);
    }

    /// <inheritdoc />
    public async Task<string> WriteAsync(string name, Stream content, CancellationToken ct)
    {
        RawBlobName.Validate(name);
        ArgumentNullException.ThrowIfNull(content);
        // The service acknowledges a Put Blob / Put Block List only once it is committed durably.
        await container.GetBlobClient(name).UploadAsync(content, new BlobUploadOptions { TransferOptions = TransferOptions }, ct);
        return name;
    }

    /// <inheritdoc />
    public async Task<Stream?> OpenReadAsync(string name, CancellationToken ct)
    {
        RawBlobName.Validate(name);
        try
        {
            var download = await container.GetBlobClient(name).DownloadStreamingAsync(cancellationToken: ct);
            return download.Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string name, CancellationToken ct)
    {
        RawBlobName.Validate(name);
        var response = await container.GetBlobClient(name).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: ct);
        return response.Value;
    }
}
