using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Mail.Storage.Blobs;

/// <summary>Keeps each tenant's key in its own 0600 file, created atomically on first use and cached in memory.</summary>
public sealed class FileTenantKeyStore : ITenantKeyStore
{
    /// <summary>Key length in bytes (AES-256).</summary>
    public const int KeySize = 32;

    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnlyFile | UnixFileMode.UserExecute;

    private readonly string _directory;
    private readonly ConcurrentDictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    /// <summary>Creates a store over <paramref name="keyDirectory"/>, creating the directory (0700) if needed.</summary>
    public FileTenantKeyStore(string keyDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyDirectory);
        _directory = Path.GetFullPath(keyDirectory);
        if (Directory.Exists(_directory)) return;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(_directory);
        else Directory.CreateDirectory(_directory, OwnerOnlyDirectory);
        var parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(_directory));
        if (parent is not null) DirectorySync.Flush(parent);
    }

    /// <inheritdoc />
    public ValueTask<byte[]> GetKeyAsync(string tenantId, CancellationToken ct)
    {
        // Rejected rather than rewritten: a lossy rewrite could map two tenants to one key file.
        TenantIdFormat.Validate(tenantId);
        return _keys.TryGetValue(tenantId, out var key)
            ? ValueTask.FromResult(key)
            : new ValueTask<byte[]>(LoadOrCreateAsync(tenantId, ct));
    }

    private async Task<byte[]> LoadOrCreateAsync(string tenantId, CancellationToken ct)
    {
        var path = Path.Combine(_directory, tenantId + ".key");
        var key = File.Exists(path) ? await ReadKeyAsync(path, ct) : await CreateKeyAsync(path, ct);
        // Also when the file was found: another process may have moved it into place and not yet
        // flushed the directory, and nothing may be encrypted under a key that could vanish in a crash.
        DirectorySync.Flush(_directory);
        // Two callers racing in this process both end up with the file's key, so either entry is right.
        return _keys.GetOrAdd(tenantId, key);
    }

    private static async Task<byte[]> CreateKeyAsync(string path, CancellationToken ct)
    {
        var key = RandomNumberGenerator.GetBytes(KeySize);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnlyFile;
            await using (var file = new FileStream(temp, options))
            {
                await file.WriteAsync(key, ct);
                file.Flush(flushToDisk: true);
            }
            // The key that reaches the final name first is the tenant's key for good, since blobs
            // may already be encrypted under it; a process that lost the race adopts the winner's.
            if (!NoReplaceMove.TryMove(temp, path)) return await ReadKeyAsync(path, ct);
        }
        finally
        {
            File.Delete(temp);
        }
        return key;
    }

    private static async Task<byte[]> ReadKeyAsync(string path, CancellationToken ct)
    {
        var key = await File.ReadAllBytesAsync(path, ct);
        // Never regenerate a damaged key: every blob encrypted under it would become unreadable.
        if (key.Length != KeySize)
            throw new InvalidDataException($"Key file '{path}' holds {key.Length} bytes, expected {KeySize}.");
        return key;
    }
}
