using System.Runtime.InteropServices;

namespace Mail.Bench.Passwords;

/// <summary>Which libsodium the process loaded: its version string and the file it was mapped from.</summary>
public static class NativeSodium
{
    /// <summary>"1.0.22 (/…/runtimes/linux-x64/native/libsodium.so)"; call after a Geralt call has loaded it.</summary>
    public static string Describe()
    {
        var version = Marshal.PtrToStringUTF8(sodium_version_string()) ?? "?";
        var file = File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6 && fields[5].Contains("libsodium", StringComparison.Ordinal))
            .Select(fields => fields[5])
            .FirstOrDefault() ?? "not mapped";
        return $"{version} ({file})";
    }

    // The same library name Geralt binds to, so this resolves to the copy already loaded.
    [DllImport("libsodium")]
    private static extern nint sodium_version_string();
}
