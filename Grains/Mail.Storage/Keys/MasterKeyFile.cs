using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Mail.Storage.Keys;

/// <summary>
/// The master key file's format: one version per line, "&lt;version&gt;:&lt;base64 of at least 32 random bytes&gt;", versions
/// positive integers, the highest one current; blank lines and lines starting with '#' are ignored.
/// </summary>
public static class MasterKeyFile
{
    /// <summary>The versions in <paramref name="text"/>, lowest first; throws <see cref="InvalidOperationException"/> with the line number (never a secret) when a line is malformed or a key is short.</summary>
    public static IReadOnlyList<(int Version, MasterKey Key)> Parse(string text, string path)
    {
        var versions = new SortedDictionary<int, MasterKey>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var colon = line.IndexOf(':');
            if (colon < 1 || !int.TryParse(line.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version < 1)
            {
                throw new InvalidOperationException(
                    $"Line {i + 1} of the master key file '{path}' is not \"<version>:<base64 key>\" with a version of 1 or more.");
            }
            var id = version.ToString(CultureInfo.InvariantCulture);
            if (!versions.TryAdd(version, MasterKey.FromBase64(id, line[(colon + 1)..], $"the master key file '{path}' (line {i + 1})")))
                throw new InvalidOperationException($"The master key file '{path}' holds version {version} twice (line {i + 1}).");
        }
        if (versions.Count == 0) throw new InvalidOperationException($"The master key file '{path}' holds no key.");
        return versions.Select(kv => (kv.Key, kv.Value)).ToList();
    }

    /// <summary>The line of a new random version.</summary>
    public static string NewLine(int version) =>
        string.Create(CultureInfo.InvariantCulture, $"{version}:{Convert.ToBase64String(RandomNumberGenerator.GetBytes(MasterKey.MinSecretBytes))}\n");

    /// <summary>The text of a new file holding version 1 only.</summary>
    public static byte[] NewFile() => Encoding.ASCII.GetBytes(NewLine(1));
}
