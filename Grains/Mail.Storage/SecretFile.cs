using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Mail.Storage;

/// <summary>Secrets kept in files: readable by the owner only, of a minimum length, checked every time they are read.</summary>
public static class SecretFile
{
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// Reads <paramref name="path"/>, or throws <see cref="InvalidOperationException"/> saying what to do when the file is
    /// missing, open to its group or others (any of the group/other mode bits), or shorter than <paramref name="minBytes"/>.
    /// <paramref name="what"/> names the secret in the message ("the master key file").
    /// </summary>
    public static byte[] ReadChecked(string path, int minBytes, string what)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InvalidOperationException($"{Capitalized(what)} '{path}' does not exist.", e);
        }
        using (handle)
        {
            // Checked on the open handle, so the file judged is the file read.
            if (!OperatingSystem.IsWindows())
            {
                var mode = File.GetUnixFileMode(handle);
                if ((mode & GroupOrOther) != 0)
                {
                    throw new InvalidOperationException(
                        $"{Capitalized(what)} '{path}' has mode {Octal(mode)}, so users other than its owner can read or change it; " +
                        $"it must be readable by its owner only: chmod 600 '{path}' (and consider the secret exposed).");
                }
            }
            var length = RandomAccess.GetLength(handle);
            if (length < minBytes)
            {
                throw new InvalidOperationException(
                    $"{Capitalized(what)} '{path}' is {length} bytes long; at least {minBytes} are required.");
            }
            var bytes = new byte[length];
            var read = 0;
            while (read < bytes.Length)
            {
                var n = RandomAccess.Read(handle, bytes.AsSpan(read), read);
                if (n == 0) break;
                read += n;
            }
            return read == bytes.Length ? bytes : bytes[..read];
        }
    }

    /// <summary>
    /// Reads the file as <see cref="ReadChecked"/> does, or, when it does not exist, creates it with <paramref name="create"/>'s
    /// bytes (mode 0600, written atomically: a racing process's file wins and is read instead).
    /// </summary>
    public static byte[] ReadOrCreate(string path, int minBytes, string what, Func<byte[]> create)
    {
        if (File.Exists(path)) return ReadChecked(path, minBytes, what);
        WriteNew(path, create());
        return ReadChecked(path, minBytes, what);
    }

    /// <summary>Reads or creates a random token of <paramref name="bytes"/> bytes, as URL-safe base64 text of at least <paramref name="minLength"/> characters.</summary>
    public static string ReadOrCreateToken(string path, string what, int minLength, int bytes = 32) =>
        System.Text.Encoding.ASCII.GetString(ReadOrCreate(path, minLength, what, () => System.Text.Encoding.ASCII.GetBytes(
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_')))).Trim();

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> through a 0600 temporary file and a rename that does not replace an existing file.</summary>
    private static void WriteNew(string path, byte[] content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }
        if (!Blobs.NoReplaceMove.TryMove(temp, path)) File.Delete(temp);
    }

    private static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode, 8).PadLeft(3, '0');

    private static string Capitalized(string what) =>
        what.Length == 0 ? what : char.ToUpper(what[0], CultureInfo.InvariantCulture) + what[1..];
}
