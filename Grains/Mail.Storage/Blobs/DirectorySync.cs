using System.Runtime.InteropServices;

namespace Mail.Storage.Blobs;

/// <summary>fsync on a directory, which makes a rename or a new entry in it survive a crash; .NET has no managed API for it.</summary>
internal static class DirectorySync
{
    private const int ReadOnly = 0;

    /// <summary>Flushes the directory's entries to disk.</summary>
    public static void Flush(string directory)
    {
        // NTFS journals directory metadata and Windows cannot open a directory handle for flushing
        // without backup privileges, so the rename itself is as durable as it gets there.
        if (OperatingSystem.IsWindows()) return;

        var fd = Open(directory, ReadOnly);
        if (fd < 0) throw new IOException($"Cannot open directory '{directory}' to fsync it (errno {Marshal.GetLastPInvokeError()}).");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"fsync of directory '{directory}' failed (errno {Marshal.GetLastPInvokeError()}).");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
