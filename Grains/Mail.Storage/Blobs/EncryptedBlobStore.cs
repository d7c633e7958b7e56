using Mail.Storage.Keys;

namespace Mail.Storage.Blobs;

/// <summary>Encrypts message content per tenant (AES-256-GCM, "MLB1" segments) under the current version of its key, read under the version a blob names, on top of any raw blob store.</summary>
public sealed class EncryptedBlobStore(IRawBlobStore raw, ITenantKeyStore keys) : IBlobStore
{
    /// <inheritdoc />
    public async Task<BlobRef> PutAsync(string tenantId, Stream plaintext, CancellationToken ct)
    {
        TenantIdFormat.Validate(tenantId);
        ArgumentNullException.ThrowIfNull(plaintext);
        var key = await keys.GetCurrentAsync(tenantId, ct);
        var name = BlobName.Create(tenantId, DateTime.UtcNow);
        await using var encrypting = new EncryptingReadStream(plaintext, key, name, SegmentedAesGcm.DefaultSegmentSize);
        var stored = await raw.WriteAsync(name, encrypting, ct);
        if (!encrypting.IsComplete)
        {
            // A raw store that stopped copying early has stored a blob without its final segment;
            // it would fail as truncated on every read, so it must not be referenced.
            await raw.DeleteAsync(stored, CancellationToken.None);
            throw new InvalidOperationException($"The raw blob store returned before reading the whole of blob '{name}'.");
        }
        return new BlobRef(stored, encrypting.PlaintextLength);
    }

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string tenantId, BlobRef blob, CancellationToken ct)
    {
        Validate(tenantId, blob);
        var stream = await raw.OpenReadAsync(blob.Name, ct) ?? throw new BlobNotFoundException(blob.Name);
        try
        {
            // The cipher binds the name the content was encrypted under, not where the raw store put it.
            return await DecryptingReadStream.OpenAsync(stream, version => keys.GetAsync(tenantId, version, ct), blob with { Name = BlobName.Logical(blob.Name) }, ct);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string tenantId, BlobRef blob, CancellationToken ct)
    {
        Validate(tenantId, blob);
        await raw.DeleteAsync(blob.Name, ct);
    }

    private static void Validate(string tenantId, BlobRef blob)
    {
        TenantIdFormat.Validate(tenantId);
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentOutOfRangeException.ThrowIfNegative(blob.Length, nameof(blob));
        BlobName.EnsureBelongsTo(tenantId, blob.Name);
    }
}
