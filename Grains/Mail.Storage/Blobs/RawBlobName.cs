namespace Mail.Storage.Blobs;

/// <summary>The shape every raw blob name must have: relative, '/'-separated, no dot segments, so it can name neither a file outside the root nor a URL outside the container.</summary>
internal static class RawBlobName
{
    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="name"/> is a safe relative name.</summary>
    public static void Validate(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0) throw new ArgumentException("Blob name is empty.", nameof(name));
        if (name.Contains('\\')) throw new ArgumentException($"Blob name '{name}' contains a backslash.", nameof(name));
        if (name.Contains('\0')) throw new ArgumentException("Blob name contains a NUL character.", nameof(name));
        if (name[0] == '/' || Path.IsPathRooted(name)) throw new ArgumentException($"Blob name '{name}' is an absolute path.", nameof(name));
        foreach (var segment in name.Split('/'))
        {
            if (segment is "" or "." or "..")
                throw new ArgumentException($"Blob name '{name}' has an empty, '.' or '..' segment.", nameof(name));
        }
    }
}
