using System.Text;
using System.Text.RegularExpressions;
using Mail.Storage.Blobs;
using Mail.Storage.Keys;

namespace Mail.Integration.Tests.Storage;

/// <summary>What every <see cref="EncryptedBlobStore"/> must do, whichever raw store it sits on; subclasses supply the raw store.</summary>
public abstract class EncryptedBlobStoreBehaviour : IDisposable
{
    // The on-disk "MLB1" layout (format version 2: magic, version, segment size, key version, nonce), spelled out
    // here so a format change has to change the tests too.
    protected const int HeaderSize = 25;
    protected const int KeyVersionOffset = 9;
    protected const int TagSize = 16;
    protected const int SegmentSize = 64 * 1024;
    protected const int SealedSegmentSize = SegmentSize + TagSize;

    private const string Tenant = "tenant-a.example";
    private const string OtherTenant = "tenant-b.example";

    protected EncryptedBlobStoreBehaviour(IRawBlobStore raw, TenantKeysFixture keys)
    {
        Raw = raw;
        Keys = keys.Store;
        Store = new EncryptedBlobStore(raw, Keys);
    }

    protected IRawBlobStore Raw { get; }
    protected PostgresTenantKeyStore Keys { get; }
    protected EncryptedBlobStore Store { get; }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(SegmentSize)]
    [InlineData(SegmentSize + 1)]
    [InlineData(3 * 1024 * 1024)]
    public async Task RoundTripReturnsTheSameBytesAndLength(int length)
    {
        var plaintext = RandomBytes(length);

        var blob = await PutAsync(Tenant, plaintext);

        Assert.Equal(length, blob.Length);
        Assert.Equal(plaintext, await ReadAllAsync(Tenant, blob));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(SegmentSize, 1)]
    [InlineData(SegmentSize + 1, 2)]
    [InlineData(3 * SegmentSize, 3)]
    public async Task StoredSizeIsHeaderPlusOneTagPerSegment(int length, int segments)
    {
        var blob = await PutAsync(Tenant, RandomBytes(length));

        var stored = await ReadRawAsync(blob.Name);

        Assert.Equal(HeaderSize + length + segments * TagSize, stored.Length);
        Assert.Equal("MLB1"u8.ToArray(), stored[..4]);
    }

    [Fact]
    public async Task HeaderNamesTheTenantKeyVersionItWasWrittenUnder()
    {
        var current = await Keys.GetCurrentAsync(Tenant, CancellationToken.None);

        var stored = await ReadRawAsync((await PutAsync(Tenant, RandomBytes(100))).Name);

        Assert.Equal(2, stored[4]);
        Assert.Equal(current.Version, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(stored.AsSpan(KeyVersionOffset)));
    }

    [Fact]
    public async Task SynchronousReadsInTinyChunksReturnTheSameBytes()
    {
        var plaintext = RandomBytes(2 * SegmentSize + 333);
        var blob = await PutAsync(Tenant, plaintext);

        using var stream = await Store.OpenReadAsync(Tenant, blob, CancellationToken.None);
        var received = new MemoryStream();
        var chunk = new byte[7];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0) received.Write(chunk, 0, read);

        Assert.Equal(plaintext, received.ToArray());
        Assert.False(stream.CanSeek);
        Assert.False(stream.CanWrite);
    }

    [Fact]
    public async Task ContentAtRestIsNotThePlaintext()
    {
        var marker = "Subject: quarterly results CONFIDENTIAL-7f3a\r\n"u8.ToArray();
        var plaintext = Enumerable.Repeat(marker, 5000).SelectMany(line => line).ToArray();

        var blob = await PutAsync(Tenant, plaintext);
        var stored = await ReadRawAsync(blob.Name);

        Assert.Equal(-1, stored.AsSpan().IndexOf(marker));
        Assert.Equal(-1, stored.AsSpan().IndexOf("CONFIDENTIAL"u8));
    }

    [Fact]
    public async Task EqualSegmentsNeverShareAKeystream()
    {
        // Identical plaintext segments under one key must encrypt differently, or the nonces repeat.
        var blob = await PutAsync(Tenant, new byte[2 * SegmentSize]);
        var stored = await ReadRawAsync(blob.Name);

        var first = stored.AsSpan(HeaderSize, SegmentSize).ToArray();
        var second = stored.AsSpan(HeaderSize + SealedSegmentSize, SegmentSize).ToArray();

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task TamperedCiphertextIsReportedNotServed()
    {
        var blob = await PutAsync(Tenant, RandomBytes(1000));
        await FlipByteAsync(blob.Name, HeaderSize + 500);

        var (released, error) = await ReadUntilFailureAsync(Tenant, blob);

        Assert.Empty(released);
        Assert.Contains("failed authentication", error.Message);
    }

    [Fact]
    public async Task TamperedLaterSegmentIsWithheldWhileEarlierSegmentsAreServedIntact()
    {
        var plaintext = RandomBytes(3 * SegmentSize);
        var blob = await PutAsync(Tenant, plaintext);
        await FlipByteAsync(blob.Name, HeaderSize + SealedSegmentSize + 10);

        var (released, _) = await ReadUntilFailureAsync(Tenant, blob);

        Assert.Equal(plaintext[..SegmentSize], released);
    }

    [Fact]
    public async Task TamperedFinalTagIsReportedAndItsSegmentWithheld()
    {
        var plaintext = RandomBytes(SegmentSize + 100);
        var blob = await PutAsync(Tenant, plaintext);
        var stored = await ReadRawAsync(blob.Name);
        await FlipByteAsync(blob.Name, stored.Length - 1);

        var (released, _) = await ReadUntilFailureAsync(Tenant, blob);

        Assert.Equal(plaintext[..SegmentSize], released);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(KeyVersionOffset)]
    [InlineData(KeyVersionOffset + 3)]
    [InlineData(HeaderSize - 1)]
    public async Task TamperedHeaderIsReported(int offset)
    {
        // Several segments, so that a changed segment size moves a segment boundary; the header is
        // authenticated through its effect on the tags, and a size that moves no boundary changes nothing.
        var blob = await PutAsync(Tenant, RandomBytes(2 * SegmentSize + 10));
        await FlipByteAsync(blob.Name, offset);

        await Assert.ThrowsAsync<BlobCorruptException>(() => ReadAllAsync(Tenant, blob));
    }

    [Theory]
    [InlineData(10, "header")]
    [InlineData(HeaderSize, "truncated")]
    [InlineData(HeaderSize + SegmentSize / 2, "failed authentication")]
    [InlineData(HeaderSize + 2 * SealedSegmentSize, "truncated")]
    [InlineData(HeaderSize + 2 * SealedSegmentSize + SegmentSize / 2 + TagSize - 1, "failed authentication")]
    public async Task TruncatedBlobIsReported(int keptBytes, string reason)
    {
        var blob = await PutAsync(Tenant, RandomBytes(2 * SegmentSize + SegmentSize / 2));
        var stored = await ReadRawAsync(blob.Name);
        await WriteRawAsync(blob.Name, stored[..keptBytes]);

        var error = await Assert.ThrowsAsync<BlobCorruptException>(() => ReadAllAsync(Tenant, blob));

        Assert.Contains(reason, error.Message);
    }

    [Theory]
    [InlineData(2 * SegmentSize, 1, "extended")]
    [InlineData(2 * SegmentSize, SealedSegmentSize, "extended")]
    [InlineData(2 * SegmentSize + 100, 100, "failed authentication")]
    [InlineData(0, 1, "failed authentication")]
    public async Task AppendedBytesAreReported(int length, int appended, string reason)
    {
        var blob = await PutAsync(Tenant, RandomBytes(length));
        var stored = await ReadRawAsync(blob.Name);
        await WriteRawAsync(blob.Name, [.. stored, .. RandomBytes(appended)]);

        var error = await Assert.ThrowsAsync<BlobCorruptException>(() => ReadAllAsync(Tenant, blob));

        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public async Task BlobCopiedToAnotherNameIsReported()
    {
        var original = await PutAsync(Tenant, RandomBytes(4000));
        var other = await PutAsync(Tenant, RandomBytes(4000));
        await WriteRawAsync(other.Name, await ReadRawAsync(original.Name));

        var error = await Assert.ThrowsAsync<BlobCorruptException>(() => ReadAllAsync(Tenant, other));

        Assert.Contains("failed authentication", error.Message);
    }

    [Fact]
    public async Task BlobCopiedToAnotherTenantIsReported()
    {
        var original = await PutAsync(Tenant, RandomBytes(4000));
        var other = await PutAsync(OtherTenant, RandomBytes(4000));
        await WriteRawAsync(other.Name, await ReadRawAsync(original.Name));

        await Assert.ThrowsAsync<BlobCorruptException>(() => ReadAllAsync(OtherTenant, other));
    }

    [Fact]
    public async Task BlobCopiedToAnotherTenantIsReportedEvenUnderTheSameKey()
    {
        // Isolates the name binding in the associated data from the per-tenant keys.
        var sharedKey = new EncryptedBlobStore(Raw, new SharedKeyStore());
        var original = await sharedKey.PutAsync(Tenant, new MemoryStream(RandomBytes(4000)), CancellationToken.None);
        var other = await sharedKey.PutAsync(OtherTenant, new MemoryStream(RandomBytes(4000)), CancellationToken.None);
        await WriteRawAsync(other.Name, await ReadRawAsync(original.Name));

        var error = await Assert.ThrowsAsync<BlobCorruptException>(async () =>
        {
            await using var stream = await sharedKey.OpenReadAsync(OtherTenant, other, CancellationToken.None);
            await stream.CopyToAsync(Stream.Null);
        });

        Assert.Contains("failed authentication", error.Message);
    }

    [Fact]
    public async Task ReferenceWithWrongLengthIsReportedAsCorrupt()
    {
        var blob = await PutAsync(Tenant, RandomBytes(4000));

        await Assert.ThrowsAsync<BlobCorruptException>(() => ReadAllAsync(Tenant, blob with { Length = 3999 }));
        await Assert.ThrowsAsync<BlobCorruptException>(() => ReadAllAsync(Tenant, blob with { Length = 4001 }));
    }

    [Fact]
    public async Task MissingBlobThrowsBlobNotFound()
    {
        var blob = await PutAsync(Tenant, RandomBytes(10));
        var missing = blob with { Name = blob.Name[..^32] + new string('0', 32) };

        var error = await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.OpenReadAsync(Tenant, missing, CancellationToken.None));

        Assert.Equal(missing.Name, error.BlobName);
    }

    [Fact]
    public async Task DeletedBlobIsGoneAndDeletingAgainIsNotAnError()
    {
        var blob = await PutAsync(Tenant, RandomBytes(10));

        await Store.DeleteAsync(Tenant, blob, CancellationToken.None);
        await Store.DeleteAsync(Tenant, blob, CancellationToken.None);

        await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.OpenReadAsync(Tenant, blob, CancellationToken.None));
    }

    [Fact]
    public async Task SameContentStoredTwiceGetsDifferentNamesInTheSameAndAnotherTenant()
    {
        var plaintext = Encoding.ASCII.GetBytes("Subject: hello\r\n\r\nsame body\r\n");

        var first = await PutAsync(Tenant, plaintext);
        var second = await PutAsync(Tenant, plaintext);
        var otherTenant = await PutAsync(OtherTenant, plaintext);

        var names = new[] { first.Name, second.Name, otherTenant.Name };
        Assert.Equal(3, names.Distinct().Count());
        var suffixes = names.Select(name => name[(name.LastIndexOf('/') + 1)..]);
        Assert.Equal(3, suffixes.Distinct().Count());
        var firstStored = await ReadRawAsync(first.Name);
        var secondStored = await ReadRawAsync(second.Name);
        // Ciphertext only: the tags differ anyway, because the names do.
        var ciphertext = HeaderSize..(HeaderSize + plaintext.Length);
        Assert.NotEqual(firstStored[ciphertext], secondStored[ciphertext]);
    }

    [Fact]
    public async Task BlobNameIsTenantYearMonthAndRandomHex()
    {
        var before = DateTime.UtcNow;
        var blob = await PutAsync(Tenant, RandomBytes(10));
        var after = DateTime.UtcNow;

        Assert.Matches(new Regex(@"^tenant-a\.example/\d{4}/\d{2}/[0-9a-f]{32}$"), blob.Name);
        Assert.Contains(blob.Name[..(Tenant.Length + 8)], new[] { $"{Tenant}/{before:yyyy}/{before:MM}", $"{Tenant}/{after:yyyy}/{after:MM}" });
    }

    [Theory]
    [InlineData("")]
    [InlineData("Tenant")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("../etc")]
    [InlineData("a b")]
    [InlineData("x1234567890123456789012345678901234567890123456789012345678901234")]
    public async Task InvalidTenantIdIsRejected(string tenantId)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.PutAsync(tenantId, new MemoryStream([1]), CancellationToken.None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            Store.OpenReadAsync(tenantId, new BlobRef($"{tenantId}/2026/01/{new string('0', 32)}", 1), CancellationToken.None));
    }

    [Fact]
    public async Task BlobOfAnotherTenantCannotBeOpenedOrDeletedThroughThisTenant()
    {
        var blob = await PutAsync(Tenant, RandomBytes(10));

        await Assert.ThrowsAsync<ArgumentException>(() => Store.OpenReadAsync(OtherTenant, blob, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.DeleteAsync(OtherTenant, blob, CancellationToken.None));

        Assert.Equal(10, (await ReadAllAsync(Tenant, blob)).Length);
    }

    [Theory]
    [InlineData("tenant-a.example/../tenant-b.example/2026/01/00000000000000000000000000000000")]
    [InlineData("tenant-a.example/2026/01/../../../etc/passwd")]
    [InlineData("tenant-a.example/2026/01/0000000000000000000000000000000")]
    public async Task MalformedBlobNameIsRejected(string name)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.OpenReadAsync(Tenant, new BlobRef(name, 0), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.DeleteAsync(Tenant, new BlobRef(name, 0), CancellationToken.None));
    }

    public virtual void Dispose() => GC.SuppressFinalize(this);

    protected static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    protected Task<BlobRef> PutAsync(string tenantId, byte[] plaintext) =>
        Store.PutAsync(tenantId, new MemoryStream(plaintext), CancellationToken.None);

    protected async Task<byte[]> ReadAllAsync(string tenantId, BlobRef blob)
    {
        await using var stream = await Store.OpenReadAsync(tenantId, blob, CancellationToken.None);
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    protected async Task<byte[]> ReadRawAsync(string name)
    {
        await using var stream = await Raw.OpenReadAsync(name, CancellationToken.None)
            ?? throw new InvalidOperationException($"Raw blob '{name}' is missing.");
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    protected Task WriteRawAsync(string name, byte[] bytes) =>
        Raw.WriteAsync(name, new MemoryStream(bytes), CancellationToken.None);

    private async Task FlipByteAsync(string name, int offset)
    {
        var stored = await ReadRawAsync(name);
        stored[offset] ^= 0x01;
        await WriteRawAsync(name, stored);
    }

    // Reads in small pieces and keeps what was served before the failure, to show nothing
    // unauthenticated ever reached the caller.
    private async Task<(byte[] Released, BlobCorruptException Error)> ReadUntilFailureAsync(string tenantId, BlobRef blob)
    {
        var released = new MemoryStream();
        var error = await Assert.ThrowsAsync<BlobCorruptException>(async () =>
        {
            await using var stream = await Store.OpenReadAsync(tenantId, blob, CancellationToken.None);
            var chunk = new byte[1000];
            int read;
            while ((read = await stream.ReadAsync(chunk)) > 0) released.Write(chunk, 0, read);
        });
        return (released.ToArray(), error);
    }

    private sealed class SharedKeyStore : ITenantKeyStore
    {
        private readonly byte[] _key = RandomBytes(32);

        public ValueTask<TenantKey> GetCurrentAsync(string tenantId, CancellationToken ct) => ValueTask.FromResult(new TenantKey(1, _key));

        public ValueTask<byte[]> GetAsync(string tenantId, int version, CancellationToken ct) => ValueTask.FromResult(_key);
    }
}
