using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// The "Other Users" namespace as LIST shows it (RFC 2342, RFC 4314 §4): the folders other accounts of the tenant let
/// this account look up ("l"), named <c>Other Users/owner/folder</c>, and above them the namespace root, the owners'
/// levels and any parent folder not itself shared, all \Noselect, so that "%" can walk down to them.
/// </summary>
public sealed class SharedListing
{
    private readonly Dictionary<string, SharedFolder> _shared = new(StringComparer.Ordinal);

    /// <summary>The folders and placeholders, as folders of a listing (counters unused).</summary>
    public List<FolderInfo> Folders { get; } = [];

    /// <summary>The names listed only as parents.</summary>
    public HashSet<string> Placeholders { get; } = new(StringComparer.Ordinal);

    /// <summary>The listing of the namespace for the session; empty when no pattern can reach into it (no grain call then).</summary>
    public static async Task<SharedListing> LoadAsync(ImapSession session, IEnumerable<string> patterns)
    {
        var listing = new SharedListing();
        if (!patterns.Any(MayReach)) return listing;
        foreach (var shared in await session.Mailbox.ListSharedFoldersAsync())
        {
            var name = OtherUsersNamespace.Format(shared.OwnerAddress, shared.Folder);
            listing._shared[name] = shared;
            listing.Folders.Add(Listed(name));
        }
        foreach (var name in listing._shared.Keys.ToList())
        {
            for (var cut = name.LastIndexOf('/'); cut > 0; cut = name.LastIndexOf('/', cut - 1))
            {
                var parent = name[..cut];
                if (listing._shared.ContainsKey(parent) || !listing.Placeholders.Add(parent)) continue;
                listing.Folders.Add(Listed(parent));
            }
        }
        return listing;
    }

    /// <summary>The shared folder a listed name is, with its owner and the rights held on it; null for a placeholder or a name of the session's own.</summary>
    public SharedFolder? Find(string name) => _shared.GetValueOrDefault(name);

    /// <summary>Whether a pattern (reference included) can match a name of the namespace: its text before the first wildcard leads there.</summary>
    private static bool MayReach(string pattern)
    {
        var wildcard = pattern.IndexOfAny(['*', '%']);
        var literal = wildcard < 0 ? pattern : pattern[..wildcard];
        return OtherUsersNamespace.Prefix.StartsWith(literal, StringComparison.Ordinal) || literal.StartsWith(OtherUsersNamespace.Root, StringComparison.Ordinal);
    }

    private static FolderInfo Listed(string name) => new(0, name, null, 0, 0, 0, 0, 0, 0, false);
}
