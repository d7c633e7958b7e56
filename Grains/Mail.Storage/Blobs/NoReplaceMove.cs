using System.Runtime.InteropServices;

namespace Mail.Storage.Blobs;

/// <summary>Moves a file to a name only if nothing holds that name yet, atomically; .NET's File.Move(overwrite: false) checks and then renames, which two processes can both pass.</summary>
internal static class NoReplaceMove
{
    private const int AlreadyExists = 17;

    /// <summary>Moves <paramref name="source"/> to <paramref name="destination"/>; false, leaving the source in place, if the destination exists.</summary>
    public static bool TryMove(string source, string destination)
    {
        if (OperatingSystem.IsWindows())
        {
            // MoveFileEx without MOVEFILE_REPLACE_EXISTING is already an atomic no-replace rename.
            try
            {
                File.Move(source, destination, overwrite: false);
                return true;
            }
            catch (IOException) when (File.Exists(destination))
            {
                return false;
            }
        }

        // link(2) fails with EEXIST instead of replacing, in one step; the source name is then dropped.
        if (Link(source, destination) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == AlreadyExists) return false;
            throw new IOException($"Cannot link '{source}' to '{destination}' (errno {errno}).");
        }
        File.Delete(source);
        return true;
    }

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link(string existingPath, string newPath);
}
