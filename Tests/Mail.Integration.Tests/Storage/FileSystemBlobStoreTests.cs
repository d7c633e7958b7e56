using Mail.Storage.Blobs;

namespace Mail.Integration.Tests.Storage;

/// <summary>The raw filesystem store with a file per blob (packing off): atomic writes, missing blobs, deletes and names that could escape the root.</summary>
public sealed class FileSystemBlobStoreTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly FileSystemBlobStore _store;

    public FileSystemBlobStoreTests() => _store = new FileSystemBlobStore(_root.Path, packedBlobMaxBytes: 0);

    [Fact]
    public async Task WrittenBlobIsReadBackThenDeleted()
    {
        byte[] content = [1, 2, 3, 4, 5];

        await _store.WriteAsync("t/2026/01/abc", new MemoryStream(content), CancellationToken.None);

        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(_root.Path, "t", "2026", "01", "abc")));
        Assert.True(await _store.DeleteAsync("t/2026/01/abc", CancellationToken.None));
        Assert.Null(await _store.OpenReadAsync("t/2026/01/abc", CancellationToken.None));
    }

    [Fact]
    public async Task MissingBlobOpensAsNullAndDeletesAsFalse()
    {
        Assert.Null(await _store.OpenReadAsync("t/missing", CancellationToken.None));
        Assert.Null(await _store.OpenReadAsync("no-such-dir/missing", CancellationToken.None));
        Assert.False(await _store.DeleteAsync("t/missing", CancellationToken.None));
    }

    [Fact]
    public async Task RewriteReplacesTheWholeBlob()
    {
        await _store.WriteAsync("t/x", new MemoryStream(new byte[1000]), CancellationToken.None);
        await _store.WriteAsync("t/x", new MemoryStream([7]), CancellationToken.None);

        Assert.Equal(new byte[] { 7 }, await File.ReadAllBytesAsync(Path.Combine(_root.Path, "t", "x")));
    }

    [Fact]
    public async Task FailedWriteLeavesNeitherTheBlobNorATemporaryFile()
    {
        await Assert.ThrowsAsync<IOException>(() => _store.WriteAsync("t/broken", new FailingStream(), CancellationToken.None));

        Assert.Empty(Directory.GetFiles(_root.Path, "*", SearchOption.AllDirectories));
        Assert.Null(await _store.OpenReadAsync("t/broken", CancellationToken.None));
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("t/../../x")]
    [InlineData("t/..")]
    [InlineData("/etc/passwd")]
    [InlineData("t\\x")]
    [InlineData("..\\x")]
    [InlineData("")]
    [InlineData("t//x")]
    [InlineData("./x")]
    public async Task NamesThatCouldEscapeTheRootAreRejected(string name)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.WriteAsync(name, new MemoryStream([1]), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.OpenReadAsync(name, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.DeleteAsync(name, CancellationToken.None));
    }

    public void Dispose() => _root.Dispose();

    // Serves some bytes, then fails as a dropped client connection would mid-upload.
    private sealed class FailingStream : MemoryStream
    {
        private int _reads;

        public FailingStream()
            : base(new byte[100_000])
        {
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ++_reads > 1 ? throw new IOException("connection reset") : base.ReadAsync(buffer, cancellationToken);
    }
}
