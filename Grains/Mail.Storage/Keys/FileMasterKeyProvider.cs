using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Mail.Storage.Blobs;

namespace Mail.Storage.Keys;

/// <summary>
/// The master key versions in a local file (<see cref="MasterKeyFile"/>), which must be readable by its owner only; the
/// file is checked and read again whenever a version is not yet known, so a rotation by another process is picked up.
/// </summary>
public sealed class FileMasterKeyProvider(string path) : IMasterKeyProvider
{
    private const string What = "the master key file";

    private readonly string _path = Path.GetFullPath(path);
    private readonly ConcurrentDictionary<string, MasterKey> _known = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _writer = new(1, 1);

    /// <inheritdoc />
    public string Source => $"{What} '{_path}'";

    /// <inheritdoc />
    public Task<MasterKey> GetCurrentAsync(CancellationToken ct) => Task.FromResult(Load()[^1].Key);

    /// <inheritdoc />
    public Task<MasterKey> GetAsync(string id, CancellationToken ct)
    {
        if (_known.TryGetValue(id, out var key)) return Task.FromResult(key);
        Load();
        return _known.TryGetValue(id, out key) ? Task.FromResult(key) : throw new MasterKeyNotFoundException(id, Source);
    }

    /// <inheritdoc />
    public async Task<MasterKey> AddVersionAsync(CancellationToken ct)
    {
        await _writer.WaitAsync(ct);
        try
        {
            var text = ReadText();
            var next = MasterKeyFile.Parse(text, _path)[^1].Version + 1;
            var separator = text.Length == 0 || text.EndsWith('\n') ? "" : "\n";
            Replace(Encoding.ASCII.GetBytes(text + separator + MasterKeyFile.NewLine(next)));
            return await GetAsync(next.ToString(CultureInfo.InvariantCulture), ct);
        }
        finally
        {
            _writer.Release();
        }
    }

    private IReadOnlyList<(int Version, MasterKey Key)> Load()
    {
        var versions = MasterKeyFile.Parse(ReadText(), _path);
        foreach (var (_, key) in versions) _known[key.Id] = key;
        return versions;
    }

    private string ReadText()
    {
        if (!File.Exists(_path))
        {
            throw new InvalidOperationException(
                $"The master key file '{_path}' does not exist. Create it (infra/run.sh does): " +
                $"(umask 077; echo \"1:$(openssl rand -base64 32)\" > '{_path}'), or set MAIL_MASTER_KEY_FILE (Mail:Keys:MasterKeyFile) " +
                "to yours, or use Azure Key Vault (Mail:Keys:Provider=keyvault). Keep a copy away from the data: without it nothing stored can be read.");
        }
        return Encoding.ASCII.GetString(SecretFile.ReadChecked(_path, 0, What));
    }

    // Written beside the file and renamed over it, so a crash leaves the old file or the new one, never half of one.
    private void Replace(byte[] content)
    {
        var temp = $"{_path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, _path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
        DirectorySync.Flush(Path.GetDirectoryName(_path)!);
    }
}
