namespace Mail.Frontends.Imap.Session;

/// <summary>
/// The "Other Users" namespace (RFC 2342 §5, RFC 9051 §6.3.10): a folder another account of the tenant shares is named
/// <c>Other Users/&lt;owner address&gt;/&lt;folder&gt;</c>, "/" being the delimiter as in the personal namespace.
/// </summary>
public static class OtherUsersNamespace
{
    /// <summary>The namespace's prefix, delimiter included.</summary>
    public const string Prefix = "Other Users/";

    /// <summary>The namespace's root, a \Noselect parent of the owners' levels.</summary>
    public const string Root = "Other Users";

    /// <summary>Whether a name is in this namespace (the root included); the prefix matches in any case.</summary>
    public static bool Contains(string name) =>
        name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || name.Equals(Root, StringComparison.OrdinalIgnoreCase);

    /// <summary>Splits <c>Other Users/owner/folder</c>; false when the name is not in the namespace or names no folder.</summary>
    public static bool TryParse(string name, out string owner, out string folder)
    {
        owner = folder = "";
        if (!name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) return false;
        var rest = name[Prefix.Length..];
        var slash = rest.IndexOf('/');
        if (slash <= 0 || slash == rest.Length - 1) return false;
        owner = rest[..slash];
        folder = rest[(slash + 1)..];
        return true;
    }

    /// <summary>The name a client sees for an owner's folder.</summary>
    public static string Format(string ownerAddress, string folder) => Prefix + ownerAddress + "/" + folder;
}
