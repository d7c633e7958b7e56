using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Mail.Grains.Reputation;
using Mail.Storage.Blobs;
using Mail.Storage.Keys;

namespace Mail.Integration.Tests.Keys;

/// <summary>
/// Data written before tenant keys had versions stays readable: the plaintext key files are imported as version 0 and
/// deleted, and blobs and sealed DKIM keys that name no version are read under version 0.
/// </summary>
// Owner-only file modes are what these tests attack; Windows has ACLs instead.
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LegacyKeyImportTests : IAsyncLifetime
{
    private KeyTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await KeyTestBed.CreateAsync("legacykeys");

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task LegacyBlobAndDkimKeyStayReadableAndNewDataUsesAFreshKey()
    {
        var legacyKey = RandomNumberGenerator.GetBytes(32);
        WriteLegacyKeyFile("tenant-a", legacyKey);
        var content = Encoding.ASCII.GetBytes("Subject: from the old release\r\n\r\n" + new string('x', 70_000));
        var blob = await WriteLegacyBlobAsync("tenant-a", legacyKey, content);
        var privateKey = RandomNumberGenerator.GetBytes(600);
        var sealedDkim = LegacySealDkim(legacyKey, "example.test", "s1", privateKey);

        var store = await _bed.OpenAsync();

        Assert.False(File.Exists(Path.Combine(_bed.LegacyKeyDirectory, "tenant-a.key")));
        Assert.False(Directory.Exists(_bed.LegacyKeyDirectory));
        Assert.Equal([("tenant-a", 0, "1"), ("tenant-a", 1, "1")], (await _bed.RowsAsync()).Select(r => (r.Tenant, r.Version, r.MasterKeyId)));
        Assert.Equal(legacyKey, await store.GetAsync("tenant-a", 0, CancellationToken.None));
        var blobs = _bed.Blobs(store);
        Assert.Equal(content, await KeyTestBed.ReadAsync(blobs, "tenant-a", blob));
        Assert.Equal(privateKey, await DkimKeySealer.OpenAsync(store, "tenant-a", "example.test", "s1", sealedDkim, CancellationToken.None));
        // The old key lay on disk in the clear: new data goes under a key that never did.
        var current = await store.GetCurrentAsync("tenant-a", CancellationToken.None);
        Assert.Equal(1, current.Version);
        Assert.NotEqual(legacyKey, current.Key);
        Assert.Equal(1, await _bed.HeaderKeyVersionAsync(await KeyTestBed.PutAsync(blobs, "tenant-a", "new"u8.ToArray())));
        // And a second start finds nothing more to import and still reads the old blob.
        Assert.Equal(content, await KeyTestBed.ReadAsync(_bed.Blobs(await _bed.OpenAsync()), "tenant-a", blob));
    }

    [Fact]
    public async Task LegacyKeyFileReadableByOthersIsRefusedAndKept()
    {
        var path = WriteLegacyKeyFile("tenant-a", RandomNumberGenerator.GetBytes(32));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(_bed.OpenAsync);

        Assert.Contains("chmod 600", error.Message);
        Assert.True(File.Exists(path));
        Assert.Empty(await _bed.RowsAsync());
    }

    [Fact]
    public async Task LegacyKeyFileThatDisagreesWithTheDatabaseStopsTheStartAndIsKept()
    {
        WriteLegacyKeyFile("tenant-a", RandomNumberGenerator.GetBytes(32));
        await _bed.OpenAsync();
        var path = WriteLegacyKeyFile("tenant-a", RandomNumberGenerator.GetBytes(32));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(_bed.OpenAsync);

        Assert.Contains("differs", error.Message);
        Assert.True(File.Exists(path));
    }

    private string WriteLegacyKeyFile(string tenant, byte[] key)
    {
        Directory.CreateDirectory(_bed.LegacyKeyDirectory);
        var path = Path.Combine(_bed.LegacyKeyDirectory, tenant + ".key");
        File.WriteAllBytes(path, key);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    // The format of earlier releases, spelled out: "MLB1", version 1, segment size, base nonce (no key version);
    // segments of AES-256-GCM with nonce = base nonce XOR index, associated data = name, index, final flag.
    private async Task<BlobRef> WriteLegacyBlobAsync(string tenant, byte[] key, byte[] content)
    {
        const int SegmentSize = 64 * 1024;
        var name = $"{tenant}/2025/06/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}";
        var baseNonce = RandomNumberGenerator.GetBytes(12);
        var stored = new MemoryStream();
        stored.Write("MLB1"u8);
        stored.WriteByte(1);
        var size = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(size, SegmentSize);
        stored.Write(size);
        stored.Write(baseNonce);
        using var aes = new AesGcm(key, 16);
        var segments = Math.Max(1, (content.Length + SegmentSize - 1) / SegmentSize);
        for (var i = 0; i < segments; i++)
        {
            var plain = content.AsSpan(i * SegmentSize, Math.Min(SegmentSize, content.Length - i * SegmentSize));
            var nonce = (byte[])baseNonce.Clone();
            BinaryPrimitives.WriteUInt32BigEndian(nonce.AsSpan(8), BinaryPrimitives.ReadUInt32BigEndian(nonce.AsSpan(8)) ^ (uint)i);
            var associated = new byte[Encoding.UTF8.GetByteCount(name) + 9];
            Encoding.UTF8.GetBytes(name, associated);
            BinaryPrimitives.WriteUInt64BigEndian(associated.AsSpan(associated.Length - 9), (ulong)i);
            associated[^1] = i == segments - 1 ? (byte)1 : (byte)0;
            var sealedSegment = new byte[plain.Length + 16];
            aes.Encrypt(nonce, plain, sealedSegment.AsSpan(0, plain.Length), sealedSegment.AsSpan(plain.Length), associated);
            stored.Write(sealedSegment);
        }
        stored.Position = 0;
        return new BlobRef(await _bed.Raw.WriteAsync(name, stored, CancellationToken.None), content.Length);
    }

    // DKIM keys sealed by earlier releases: version byte 1, nonce, tag, ciphertext, under HKDF(tenant key).
    private static byte[] LegacySealDkim(byte[] tenantKey, string domain, string selector, byte[] privateKey)
    {
        var sealedKey = new byte[1 + 12 + 16 + privateKey.Length];
        sealedKey[0] = 1;
        RandomNumberGenerator.Fill(sealedKey.AsSpan(1, 12));
        using var aes = new AesGcm(HKDF.DeriveKey(HashAlgorithmName.SHA256, tenantKey, 32, info: "mail dkim private key v1"u8.ToArray()), 16);
        aes.Encrypt(sealedKey.AsSpan(1, 12), privateKey, sealedKey.AsSpan(29), sealedKey.AsSpan(13, 16), Encoding.UTF8.GetBytes($"dkim\0{domain}\0{selector}"));
        return sealedKey;
    }
}
