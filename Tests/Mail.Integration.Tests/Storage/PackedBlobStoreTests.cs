using Mail.Storage.Blobs;

namespace Mail.Integration.Tests.Storage;

/// <summary>
/// Small blobs packed into shared, group-committed segment files: many blobs per file, each read back exactly,
/// deletable, still readable after a restart, bound to their name by the encryption, and large blobs still in files of their own.
/// </summary>
public sealed class PackedBlobStoreTests(TenantKeysFixture keys) : IDisposable, IClassFixture<TenantKeysFixture>
{
    private const int Limit = 100_000;
    private const string Tenant = "tenant-a.example";
    private readonly TempDirectory _root = new();

    private FileSystemBlobStore NewRaw() => new(_root.Path, Limit);

    private string[] Segments() => Directory.GetFiles(_root.Path, "*.seg", SearchOption.AllDirectories);

    [Fact]
    public async Task ConcurrentSmallBlobsShareASegmentAndReadBackExactly()
    {
        var raw = NewRaw();
        // More than one batch's worth (256) at once.
        var contents = Enumerable.Range(0, 600).Select(i => Bytes(i * 37 % 5000, i)).ToArray();

        var names = await Task.WhenAll(contents.Select((c, i) => Task.Run(() => raw.WriteAsync($"t/2026/11/b{i}", new MemoryStream(c), CancellationToken.None))));

        Assert.All(names, n => Assert.Contains('@', n));
        Assert.Single(Segments());
        // Only segment files (whose random names may start with "b" too).
        Assert.All(Directory.GetFiles(_root.Path, "*", SearchOption.AllDirectories), f => Assert.EndsWith(".seg", f));
        for (var i = 0; i < contents.Length; i++) Assert.Equal(contents[i], await ReadAsync(raw, names[i]));
    }

    [Fact]
    public async Task BlobsUpToTheLimitArePackedLargerOnesGetTheirOwnFile()
    {
        var raw = NewRaw();
        var atLimit = Bytes(Limit, 1);
        var overLimit = Bytes(Limit + 1, 2);

        var packed = await raw.WriteAsync("t/2026/11/small", new MemoryStream(atLimit), CancellationToken.None);
        var own = await raw.WriteAsync("t/2026/11/large", new MemoryStream(overLimit), CancellationToken.None);

        Assert.StartsWith("t/2026/11/small@", packed);
        Assert.Equal("t/2026/11/large", own);
        Assert.Equal(overLimit, await File.ReadAllBytesAsync(Path.Combine(_root.Path, "t", "2026", "11", "large")));
        Assert.Equal(atLimit, await ReadAsync(raw, packed));
        Assert.Equal(overLimit, await ReadAsync(raw, own));
    }

    [Fact]
    public async Task DeletedPackedBlobIsGoneAndItsNeighboursAreNot()
    {
        var raw = NewRaw();
        var first = await raw.WriteAsync("t/2026/11/a", new MemoryStream(Bytes(300, 1)), CancellationToken.None);
        var second = await raw.WriteAsync("t/2026/11/b", new MemoryStream(Bytes(300, 2)), CancellationToken.None);

        Assert.True(await raw.DeleteAsync(first, CancellationToken.None));

        Assert.Null(await raw.OpenReadAsync(first, CancellationToken.None));
        Assert.False(await raw.DeleteAsync(first, CancellationToken.None));
        Assert.Equal(Bytes(300, 2), await ReadAsync(raw, second));
    }

    [Fact]
    public async Task ARestartedStoreReadsOldSegmentsAndAppendsToANewOne()
    {
        var before = await NewRaw().WriteAsync("t/2026/11/a", new MemoryStream(Bytes(10, 1)), CancellationToken.None);

        var restarted = NewRaw();
        var after = await restarted.WriteAsync("t/2026/11/b", new MemoryStream(Bytes(10, 2)), CancellationToken.None);

        Assert.Equal(Bytes(10, 1), await ReadAsync(restarted, before));
        Assert.Equal(Bytes(10, 2), await ReadAsync(restarted, after));
        Assert.Equal(2, Segments().Length);
    }

    [Fact]
    public async Task AnIdleSegmentIsClosedAndReopenedForTheNextBlob()
    {
        var raw = NewRaw();
        var first = await raw.WriteAsync("t/2026/11/a", new MemoryStream(Bytes(10, 1)), CancellationToken.None);
        var segment = Assert.Single(Segments());
        Assert.True(IsOpenHere(segment));

        raw.CloseIdleSegments(); // a batch was written since the last sweep: still busy
        Assert.True(IsOpenHere(segment));
        raw.CloseIdleSegments();
        Assert.False(IsOpenHere(segment));

        var second = await raw.WriteAsync("t/2026/11/b", new MemoryStream(Bytes(20, 2)), CancellationToken.None);
        Assert.Equal(segment, Assert.Single(Segments()));
        Assert.Equal(Bytes(10, 1), await ReadAsync(raw, first));
        Assert.Equal(Bytes(20, 2), await ReadAsync(raw, second));
    }

    // Whether this process has the file open (Linux: /proc/self/fd links).
    private static bool IsOpenHere(string path) =>
        new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos().Any(fd => fd.LinkTarget == path);

    [Theory]
    [InlineData("t/2026/11/a@zz")]
    [InlineData("t/2026/11/a@0123456789abcdef-1")]
    [InlineData("t/2026/11/a@0123456789ABCDEF-0-1")]
    [InlineData("../a@0123456789abcdef-0-1")]
    public async Task MalformedOrEscapingLocatorsAreRejected(string name)
    {
        var raw = NewRaw();
        await Assert.ThrowsAsync<ArgumentException>(() => raw.OpenReadAsync(name, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => raw.DeleteAsync(name, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => raw.WriteAsync("t/2026/11/a@x", new MemoryStream([1]), CancellationToken.None));
    }

    [Fact]
    public async Task EncryptedPackedBlobsRoundTripAndAreBoundToTheirRecord()
    {
        var store = new EncryptedBlobStore(NewRaw(), keys.Store);
        var first = await store.PutAsync(Tenant, new MemoryStream(Bytes(70_000, 1)), CancellationToken.None);
        var second = await store.PutAsync(Tenant, new MemoryStream(Bytes(70_000, 2)), CancellationToken.None);
        Assert.Contains('@', first.Name);

        await using (var read = await store.OpenReadAsync(Tenant, first, CancellationToken.None))
        {
            var copy = new MemoryStream();
            await read.CopyToAsync(copy);
            Assert.Equal(Bytes(70_000, 1), copy.ToArray());
        }

        // Another blob's record under this blob's locator (same length, same segment) is not served: the record names
        // the blob it holds (and its encryption is bound to that name besides).
        var swapped = first with { Name = first.Name[..first.Name.IndexOf('@')] + second.Name[second.Name.IndexOf('@')..] };
        await Assert.ThrowsAsync<BlobNotFoundException>(async () =>
        {
            await using var read = await store.OpenReadAsync(Tenant, swapped, CancellationToken.None);
            await read.CopyToAsync(Stream.Null);
        });
        // And the tenant check holds with locators too.
        await Assert.ThrowsAsync<ArgumentException>(() => store.OpenReadAsync("tenant-b.example", first, CancellationToken.None));
    }

    public void Dispose() => _root.Dispose();

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static async Task<byte[]> ReadAsync(IRawBlobStore raw, string name)
    {
        await using var stream = await raw.OpenReadAsync(name, CancellationToken.None) ?? throw new InvalidOperationException($"{name} is missing");
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
