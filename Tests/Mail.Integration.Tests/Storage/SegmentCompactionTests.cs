using Mail.Storage.Blobs;

namespace Mail.Integration.Tests.Storage;

/// <summary>
/// Packed segments given back to the disk: a mostly dead segment is rewritten with its live blobs only, which stay
/// readable under the names their rows hold; a writer's current segment is never touched; the sweep's listing names
/// every live blob as it is read; segments of earlier releases still read.
/// </summary>
public sealed class SegmentCompactionTests : IDisposable
{
    private static readonly CompactionPolicy Policy = new(0.5, TimeSpan.Zero);
    private readonly TempDirectory _root = new();

    private FileSystemBlobStore NewRaw() => new(_root.Path, 100_000);

    private string[] Segments() => Directory.GetFiles(_root.Path, "*.seg", SearchOption.AllDirectories);

    [Fact]
    public async Task AMostlyDeadSegmentShrinksAndItsLiveBlobsReadUnderTheirOldNames()
    {
        var contents = Enumerable.Range(0, 50).Select(i => Bytes(2_000 + i, i)).ToArray();
        var writer = NewRaw();
        var names = new List<string>();
        foreach (var (content, i) in contents.Select((c, i) => (c, i))) names.Add(await writer.WriteAsync($"t/2026/11/b{i}", new MemoryStream(content), CancellationToken.None));
        var segment = Assert.Single(Segments());
        var full = new FileInfo(segment).Length;

        // Another process (a restart here) holds no writer for it: it is sealed.
        var store = NewRaw();
        var doomed = names.Where((_, i) => i % 10 != 0).ToList();
        foreach (var name in doomed) Assert.True(await store.DeleteAsync(name, CancellationToken.None));
        var reclaimed = await store.CompactAsync(doomed, Policy, CancellationToken.None);

        var compacted = new FileInfo(segment).Length;
        Assert.Equal(full - compacted, reclaimed);
        Assert.True(compacted < full / 5, $"{compacted} of {full} bytes left");
        for (var i = 0; i < names.Count; i++)
        {
            if (i % 10 == 0) Assert.Equal(contents[i], await ReadAsync(store, names[i]));
            else Assert.Null(await store.OpenReadAsync(names[i], CancellationToken.None));
        }

        // Compacted again: the offsets in the names still lead to the records.
        var more = new[] { names[10], names[20], names[30] };
        foreach (var name in more) Assert.True(await store.DeleteAsync(name, CancellationToken.None));
        Assert.True(await store.CompactAsync(more, Policy, CancellationToken.None) > 0);
        Assert.Equal(contents[0], await ReadAsync(NewRaw(), names[0]));
        Assert.Equal(contents[40], await ReadAsync(store, names[40]));
        Assert.Null(await store.OpenReadAsync(names[30], CancellationToken.None));

        // Nothing live left: the file goes.
        var rest = new[] { names[0], names[40] };
        foreach (var name in rest) Assert.True(await store.DeleteAsync(name, CancellationToken.None));
        await store.CompactAsync(rest, Policy, CancellationToken.None);
        Assert.Empty(Segments());
    }

    [Fact]
    public async Task ASegmentStillMostlyLiveOrStillBeingWrittenIsLeftAlone()
    {
        var store = NewRaw();
        var names = new List<string>();
        for (var i = 0; i < 10; i++) names.Add(await store.WriteAsync($"t/2026/11/c{i}", new MemoryStream(Bytes(1_000, i)), CancellationToken.None));
        var segment = Assert.Single(Segments());
        foreach (var name in names.Skip(1)) await store.DeleteAsync(name, CancellationToken.None);
        var length = new FileInfo(segment).Length;

        // This store's writer may append to it: never rewritten under it.
        Assert.Equal(0, await store.CompactAsync(names, Policy, CancellationToken.None));
        var next = await store.WriteAsync("t/2026/11/next", new MemoryStream(Bytes(1_000, 99)), CancellationToken.None);
        Assert.Equal(segment, Assert.Single(Segments()));
        Assert.True(new FileInfo(segment).Length > length);

        // Sealed, but nine of ten still live: not worth rewriting. And too young for a policy that asks an hour.
        var other = NewRaw();
        Assert.Equal(0, await other.CompactAsync([names[1]], new CompactionPolicy(0.5, TimeSpan.FromHours(1)), CancellationToken.None));
        Assert.Equal(Bytes(1_000, 0), await ReadAsync(other, names[0]));
        Assert.Equal(Bytes(1_000, 99), await ReadAsync(other, next));
    }

    [Fact]
    public async Task TheListingNamesEveryLiveBlobAsItIsReadAndOnlyInItsWindow()
    {
        var store = NewRaw();
        var start = DateTimeOffset.UtcNow.AddSeconds(-1);
        var packed = await store.WriteAsync("t/2026/11/p1", new MemoryStream(Bytes(500, 1)), CancellationToken.None);
        var deleted = await store.WriteAsync("t/2026/11/p2", new MemoryStream(Bytes(500, 2)), CancellationToken.None);
        var own = await store.WriteAsync("t/2026/11/big", new MemoryStream(Bytes(150_000, 3)), CancellationToken.None);
        await store.DeleteAsync(deleted, CancellationToken.None);
        var end = DateTimeOffset.UtcNow.AddSeconds(1);

        var listed = await ToListAsync(store.ListWrittenAsync(DateTimeOffset.MinValue, end, CancellationToken.None));
        Assert.Equal(new[] { own, packed }.Order(), listed.Select(b => b.Name).Order());
        Assert.All(listed, b => Assert.InRange(b.WrittenAt, start, end));
        Assert.Empty(await ToListAsync(store.ListWrittenAsync(end, end.AddHours(1), CancellationToken.None)));
        Assert.Empty(await ToListAsync(store.ListWrittenAsync(DateTimeOffset.MinValue, start, CancellationToken.None)));
    }

    [Fact]
    public async Task ASegmentOfAnEarlierReleaseStillReadsAndDeletes()
    {
        // Version 1: no file header, records of "MLS1" then the data, the length only in the locator.
        var directory = Path.Combine(_root.Path, "t", "2026", "11");
        Directory.CreateDirectory(directory);
        var first = Bytes(300, 1);
        var second = Bytes(200, 2);
        await File.WriteAllBytesAsync(Path.Combine(directory, "0123456789abcdef.seg"),
            [.. "MLS1"u8.ToArray(), .. first, .. "MLS1"u8.ToArray(), .. second]);
        var store = NewRaw();

        Assert.Equal(first, await ReadAsync(store, "t/2026/11/a@0123456789abcdef-0-300"));
        Assert.Equal(second, await ReadAsync(store, "t/2026/11/b@0123456789abcdef-304-200"));
        Assert.True(await store.DeleteAsync("t/2026/11/a@0123456789abcdef-0-300", CancellationToken.None));
        Assert.Null(await store.OpenReadAsync("t/2026/11/a@0123456789abcdef-0-300", CancellationToken.None));
        Assert.Equal(second, await ReadAsync(store, "t/2026/11/b@0123456789abcdef-304-200"));
        // Never compacted: its records cannot be walked without the database.
        Assert.Equal(0, await store.CompactAsync(["t/2026/11/a@0123456789abcdef-0-300"], Policy, CancellationToken.None));
    }

    public void Dispose() => _root.Dispose();

    private static async Task<List<WrittenBlob>> ToListAsync(IAsyncEnumerable<WrittenBlob> blobs)
    {
        var list = new List<WrittenBlob>();
        await foreach (var blob in blobs) list.Add(blob);
        return list;
    }

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
