using Mail.Storage.Blobs;

namespace Mail.Integration.Tests.Storage;

/// <summary>
/// The encrypted store over <see cref="FileSystemBlobStore"/> with a file per blob (packing off, so the tampering
/// behaviours can rewrite a blob's bytes in place), plus what only the filesystem shows: the files themselves.
/// Packed blobs: <see cref="PackedBlobStoreTests"/>.
/// </summary>
public sealed class EncryptedBlobStoreOnFileSystemTests : EncryptedBlobStoreBehaviour, IClassFixture<TenantKeysFixture>
{
    private readonly TempDirectory _root;

    public EncryptedBlobStoreOnFileSystemTests(TenantKeysFixture keys)
        : this(new TempDirectory(), keys)
    {
    }

    private EncryptedBlobStoreOnFileSystemTests(TempDirectory root, TenantKeysFixture keys)
        : base(new FileSystemBlobStore(root.Path, packedBlobMaxBytes: 0), keys)
    {
        _root = root;
    }

    [Fact]
    public async Task FileOnDiskDoesNotContainThePlaintext()
    {
        var marker = "X-Secret-Marker: 4e1d9c"u8.ToArray();
        var plaintext = Enumerable.Repeat(marker, 4000).SelectMany(line => line).ToArray();

        var blob = await PutAsync("tenant-a.example", plaintext);
        var onDisk = await File.ReadAllBytesAsync(Path.Combine(_root.Path, blob.Name));

        Assert.Equal(-1, onDisk.AsSpan().IndexOf(marker));
        Assert.Equal(-1, onDisk.AsSpan().IndexOf("Secret"u8));
    }

    [Fact]
    public async Task PutLeavesExactlyOneFileAndNoTemporaryFiles()
    {
        var blob = await PutAsync("tenant-a.example", RandomBytes(3 * SegmentSize));

        var files = Directory.GetFiles(_root.Path, "*", SearchOption.AllDirectories);

        Assert.Equal(Path.Combine(_root.Path, blob.Name), Assert.Single(files));
    }

    public override void Dispose()
    {
        _root.Dispose();
        base.Dispose();
    }
}
