using System.Text.RegularExpressions;
using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Frontends.Imap.Commands;

/// <summary>One mailbox a LIST or LSUB answers with: its attributes and, for RECURSIVEMATCH, whether CHILDINFO ("SUBSCRIBED") goes with it.</summary>
/// <param name="Name">The mailbox name.</param>
/// <param name="Folder">The folder, or null for a subscribed name that has none (\NonExistent) or a hierarchy placeholder.</param>
/// <param name="Attributes">Name attributes in the order they are written.</param>
/// <param name="SubscribedChildInfo">Whether the answer carries CHILDINFO ("SUBSCRIBED") (RFC 5258 §3.5).</param>
public sealed record ListEntry(string Name, FolderInfo? Folder, IReadOnlyList<string> Attributes, bool SubscribedChildInfo);

/// <summary>
/// Which mailboxes a LIST (RFC 9051 §6.3.9, LIST-EXTENDED RFC 5258) or LSUB (RFC 3501 §6.3.9) names, with which attributes.
/// Subscriptions are names, not folders: a subscribed name whose folder was deleted is listed \NonExistent by
/// LIST (SUBSCRIBED) (RFC 5258 §3.1). A mailbox matched by a pattern that is not itself selected but has a subscribed
/// descendant that no pattern matches is the hierarchy placeholder of LSUB with "%" (\Noselect, RFC 3501 §6.3.9) and
/// the CHILDINFO mailbox of RECURSIVEMATCH (RFC 5258 §3.5); a descendant that is listed itself needs no placeholder.
/// </summary>
public static class ListSelection
{
    /// <summary>What a LIST asks for, parsed from its options.</summary>
    /// <param name="Lsub">LSUB rather than LIST.</param>
    /// <param name="Subscribed">SUBSCRIBED selection option.</param>
    /// <param name="RecursiveMatch">RECURSIVEMATCH selection option.</param>
    /// <param name="SpecialUse">SPECIAL-USE selection option (RFC 6154 §3).</param>
    /// <param name="ReturnSubscribed">\Subscribed is shown (SUBSCRIBED selection or return option).</param>
    public sealed record Request(bool Lsub, bool Subscribed, bool RecursiveMatch, bool SpecialUse, bool ReturnSubscribed);

    /// <summary>The answers, INBOX first, then by name; <paramref name="noSelect"/> names folders that are only parents (\Noselect).</summary>
    public static List<ListEntry> Select(Request request, IReadOnlyList<FolderInfo> folders, IReadOnlyCollection<string> subscriptions, IReadOnlyList<Regex> patterns,
        IReadOnlySet<string>? noSelect = null)
    {
        var byName = folders.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var subscribed = new HashSet<string>(subscriptions, StringComparer.Ordinal);
        bool Matches(string name) => patterns.Any(p => p.IsMatch(name));
        var selectsSubscribed = request.Lsub || request.Subscribed;

        var entries = new Dictionary<string, ListEntry>(StringComparer.Ordinal);
        var candidates = selectsSubscribed ? subscribed.AsEnumerable() : folders.Select(f => f.Name);
        foreach (var name in candidates)
        {
            if (!Matches(name)) continue;
            var folder = byName.GetValueOrDefault(name);
            if (request.SpecialUse && folder?.SpecialUse is null) continue;
            entries[name] = new ListEntry(name, folder, Attributes(request, name, folder, folders, subscribed.Contains(name), placeholder: false, noSelect), false);
        }

        if (request.Lsub || request.RecursiveMatch)
        {
            foreach (var name in subscribed)
            {
                if (Matches(name)) continue;
                for (var cut = name.LastIndexOf(SpecialFolders.Delimiter); cut > 0; cut = name.LastIndexOf(SpecialFolders.Delimiter, cut - 1))
                {
                    var parent = name[..cut];
                    if (!Matches(parent)) continue;
                    if (entries.TryGetValue(parent, out var listed))
                    {
                        if (request.RecursiveMatch) entries[parent] = listed with { SubscribedChildInfo = true };
                        continue;
                    }
                    var folder = byName.GetValueOrDefault(parent);
                    if (request.SpecialUse && folder?.SpecialUse is null) continue;
                    entries[parent] = new ListEntry(parent, folder,
                        Attributes(request, parent, folder, folders, subscribed.Contains(parent), placeholder: true, noSelect), request.RecursiveMatch);
                }
            }
        }
        return entries.Values.OrderBy(e => e.Name == SpecialFolders.Inbox ? 0 : 1).ThenBy(e => e.Name, StringComparer.Ordinal).ToList();
    }

    private static List<string> Attributes(Request request, string name, FolderInfo? folder, IReadOnlyList<FolderInfo> folders, bool isSubscribed, bool placeholder,
        IReadOnlySet<string>? noSelect)
    {
        var attributes = new List<string>();
        if (request.Lsub)
        {
            // RFC 3501 §6.3.9: a name LSUB shows only because a descendant is subscribed is \Noselect.
            if (placeholder) attributes.Add("\\Noselect");
            return attributes;
        }
        if (folder is null)
        {
            // RFC 5258 §3.4: \NonExistent implies \Noselect, which is not repeated.
            attributes.Add("\\NonExistent");
        }
        else
        {
            // CHILDREN (RFC 3348, RFC 5258 §4) is answered whether asked for or not, as the RFCs allow.
            var hasChildren = folders.Any(f => f.Name.StartsWith(name + SpecialFolders.Delimiter, StringComparison.Ordinal));
            if (noSelect?.Contains(name) == true) attributes.Add("\\Noselect");
            attributes.Add(hasChildren ? "\\HasChildren" : "\\HasNoChildren");
            if (folder.SpecialUse is { } use) attributes.Add(use);
        }
        if (request.ReturnSubscribed && isSubscribed) attributes.Add("\\Subscribed");
        return attributes;
    }
}
