using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Mail.Storage.Blobs;

/// <summary>Stores raw blobs as block blobs in one Azure Blob Storage container.</summary>
public sealed class AzureBlobStore(BlobContainerClient container) : IRawBlobStore, IBlobStoreMaintenance
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

    /// <inheritdoc />
    public async IAsyncEnumerable<WrittenBlob> ListWrittenAsync(DateTimeOffset since, DateTimeOffset until, [EnumeratorCancellation] CancellationToken ct)
    {
        // Names are "{tenant}/{yyyy}/{MM}/...", made a moment before the blob is written: only those months are listed.
        await foreach (var tenant in container.GetBlobsByHierarchyAsync(new GetBlobsByHierarchyOptions { Delimiter = "/" }, ct))
        {
            if (!tenant.IsPrefix) continue;
            var prefixes = since == DateTimeOffset.MinValue ? [tenant.Prefix] : Months(since.AddDays(-1), until).Select(m => $"{tenant.Prefix}{m:yyyy}/{m:MM}/");
            foreach (var prefix in prefixes)
            {
                await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, ct))
                {
                    if ((blob.Properties.CreatedOn ?? blob.Properties.LastModified) is not { } written || written < since || written >= until) continue;
                    yield return new WrittenBlob(blob.Name, written);
                }
            }
        }
    }

    /// <inheritdoc />
    public Task<long> CompactAsync(IEnumerable<string> deletedNames, CompactionPolicy policy, CancellationToken ct) =>
        // Every blob is its own object: a delete gives its space back at once.
        Task.FromResult(0L);

    private static IEnumerable<DateTimeOffset> Months(DateTimeOffset from, DateTimeOffset until)
    {
        for (var month = new DateTimeOffset(from.Year, from.Month, 1, 0, 0, 0, TimeSpan.Zero); month <= until; month = month.AddMonths(1)) yield return month;
    }
}
