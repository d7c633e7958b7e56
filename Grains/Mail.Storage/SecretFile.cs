using System.Security.Cryptography;

namespace Mail.Storage;

/// <summary>A small secret kept in a file readable by the owner only, created on first use.</summary>
public static class SecretFile
{
    /// <summary>Reads the file, or creates it with <paramref name="create"/>'s bytes (mode 0600, written atomically).</summary>
    public static byte[] ReadOrCreate(string path, Func<byte[]> create)
    {
        if (File.Exists(path)) return File.ReadAllBytes(path);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options))
        {
            stream.Write(create());
            stream.Flush(flushToDisk: true);
        }
        try
        {
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp);
        }
        return File.ReadAllBytes(path);
    }

    /// <summary>Reads or creates a random token of <paramref name="bytes"/> bytes, as URL-safe base64 text.</summary>
    public static string ReadOrCreateToken(string path, int bytes = 32) =>
        System.Text.Encoding.ASCII.GetString(ReadOrCreate(path, () => System.Text.Encoding.ASCII.GetBytes(
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_')))).Trim();
}
