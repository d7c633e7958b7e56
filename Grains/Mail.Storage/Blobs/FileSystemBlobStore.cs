using System.Collections.Concurrent;

namespace Mail.Storage.Blobs;

/// <summary>Stores raw blobs as files under a root directory, fsynced (file and directory) before a write returns.</summary>
public sealed class FileSystemBlobStore : IRawBlobStore
{
    private readonly string _root;

    // Directories whose entry chain up to the root this process has already fsynced; a new
    // tenant or month directory is only durable once its parent has been flushed, and doing it
    // once per process (not once per creator) also covers a directory another writer created.
    private readonly ConcurrentDictionary<string, bool> _durableDirectories = new(StringComparer.Ordinal);

    // One group-committing flusher per directory: concurrent writers share a directory fsync.
    private readonly ConcurrentDictionary<string, DirectoryFlusher> _flushers = new(StringComparer.Ordinal);

    /// <summary>Creates a store rooted at <paramref name="rootDirectory"/>, creating the directory if needed.</summary>
    public FileSystemBlobStore(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootDirectory));
        Directory.CreateDirectory(_root);
    }

    /// <inheritdoc />
    public async Task WriteAsync(string name, Stream content, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        var path = Resolve(name);
        var directory = Path.GetDirectoryName(path)!;
        EnsureDurableDirectory(directory);

        // Written under its final name: names are random and unknown to anyone until the mailbox row that
        // references the blob commits, which happens only after this returns, so no reader can see a
        // partial file, and a crash leaves at most an unreferenced one. That spares a rename per message.
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 0,
            };
            await using (var file = new FileStream(path, options))
            {
                await content.CopyToAsync(file, ct);
                file.Flush(flushToDisk: true);
            }
        }
        catch
        {
            DeleteQuietly(path);
            throw;
        }
        await _flushers.GetOrAdd(directory, d => new DirectoryFlusher(d)).FlushAsync();
    }

    /// <inheritdoc />
    public Task<Stream?> OpenReadAsync(string name, CancellationToken ct)
    {
        var path = Resolve(name);
        ct.ThrowIfCancellationRequested();
        try
        {
            Stream stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read | FileShare.Delete,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            });
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string name, CancellationToken ct)
    {
        var path = Resolve(name);
        ct.ThrowIfCancellationRequested();
        if (!File.Exists(path)) return Task.FromResult(false);
        // No directory fsync: a delete lost in a crash leaves an unreferenced blob, never a missing one.
        File.Delete(path);
        return Task.FromResult(true);
    }

    // Best effort: failing to remove the temp file must not hide why the write failed.
    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private string Resolve(string name)
    {
        RawBlobName.Validate(name);
        var path = Path.GetFullPath(Path.Combine(_root, name));
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"Blob name '{name}' resolves outside the store root.", nameof(name));
        return path;
    }

    private void EnsureDurableDirectory(string directory)
    {
        Directory.CreateDirectory(directory);
        if (_durableDirectories.ContainsKey(directory)) return;
        for (var parent = Path.GetDirectoryName(directory);
             parent is not null && parent.Length >= _root.Length;
             parent = Path.GetDirectoryName(parent))
        {
            DirectorySync.Flush(parent);
        }
        _durableDirectories.TryAdd(directory, true);
    }
}
