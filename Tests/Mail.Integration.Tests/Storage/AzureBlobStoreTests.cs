using Mail.Storage.Blobs;

namespace Mail.Integration.Tests.Storage;

/// <summary>The raw Azure store on Azurite: missing blobs, deletes, overwrites and unsafe names.</summary>
public sealed class AzureBlobStoreTests(AzuriteContainerFixture azurite) : IClassFixture<AzuriteContainerFixture>
{
    private readonly AzureBlobStore _store = azurite.Store;

    [Fact]
    public async Task MissingBlobOpensAsNullAndDeletesAsFalse()
    {
        Assert.Null(await _store.OpenReadAsync("t/missing", CancellationToken.None));
        Assert.False(await _store.DeleteAsync("t/missing", CancellationToken.None));
    }

    [Fact]
    public async Task WrittenBlobIsReadBackThenDeleted()
    {
        byte[] content = [1, 2, 3, 4, 5];

        await _store.WriteAsync("t/a/b", new MemoryStream(content), CancellationToken.None);
        await using (var stream = await _store.OpenReadAsync("t/a/b", CancellationToken.None))
        {
            var read = new MemoryStream();
            await stream!.CopyToAsync(read);
            Assert.Equal(content, read.ToArray());
        }

        Assert.True(await _store.DeleteAsync("t/a/b", CancellationToken.None));
        Assert.Null(await _store.OpenReadAsync("t/a/b", CancellationToken.None));
    }

    [Fact]
    public async Task StreamLargerThanOneUploadBlockIsStoredWhole()
    {
        // Larger than the 4 MiB transfer size, and unseekable, so the upload is staged in blocks.
        var content = new byte[9 * 1024 * 1024 + 17];
        new Random(9).NextBytes(content);

        await _store.WriteAsync("t/large", new UnseekableStream(content), CancellationToken.None);
        await using var stream = await _store.OpenReadAsync("t/large", CancellationToken.None);
        var read = new MemoryStream();
        await stream!.CopyToAsync(read);

        Assert.Equal(content, read.ToArray());
    }

    [Theory]
    [InlineData("../other-container/x")]
    [InlineData("t/../../x")]
    [InlineData("/t/x")]
    [InlineData("t\\x")]
    [InlineData("t//x")]
    public async Task NamesThatCouldEscapeTheContainerAreRejected(string name)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.WriteAsync(name, new MemoryStream([1]), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.OpenReadAsync(name, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.DeleteAsync(name, CancellationToken.None));
    }

    private sealed class UnseekableStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
    }
}
