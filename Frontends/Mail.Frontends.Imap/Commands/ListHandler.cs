using System.Text;
using System.Text.RegularExpressions;
using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// LIST (RFC 9051 §6.3.9) with "%" and "*" wildcards, LIST-EXTENDED selection and return options (RFC 5258:
/// SUBSCRIBED, SPECIAL-USE, CHILDREN), LIST-STATUS (RFC 5819), SPECIAL-USE attributes (RFC 6154), and LSUB (RFC 3501 §6.3.9).
/// </summary>
public sealed class ListHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["LIST", "LSUB"];

    /// <inheritdoc />
    public ImapState States => ImapState.LoggedIn;

    /// <inheritdoc />
    public async Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        var list = (ListCommand)command;
        var verb = list.Lsub ? "LSUB" : "LIST";
        if (!list.Lsub && list.Patterns is [""] && list.SelectOptions.Count == 0 && list.ReturnOptions.Count == 0)
        {
            // RFC 9051 §6.3.9: an empty pattern asks for the hierarchy delimiter and the root.
            session.Untagged("LIST (\\Noselect) \"/\" \"\"");
            return ImapResult.Ok("LIST completed");
        }
        foreach (var option in list.SelectOptions)
        {
            if (option is not ("SUBSCRIBED" or "REMOTE" or "RECURSIVEMATCH" or "SPECIAL-USE")) return ImapResult.Bad($"Unknown selection option {option}");
        }
        if (list.SelectOptions.Contains("RECURSIVEMATCH") && list.SelectOptions.Count(o => o != "REMOTE") == 1)
        {
            return ImapResult.Bad("RECURSIVEMATCH needs another selection option");
        }
        foreach (var option in list.ReturnOptions)
        {
            if (option is not ("SUBSCRIBED" or "CHILDREN" or "SPECIAL-USE" or "STATUS")) return ImapResult.Bad($"Unknown return option {option}");
        }
        var folders = await session.Mailbox.ListFoldersAsync();
        var matchers = list.Patterns.Select(p => Matcher(session.DecodeMailbox(list.Reference + p))).ToList();
        var onlySubscribed = list.Lsub || list.SelectOptions.Contains("SUBSCRIBED");
        var onlySpecial = list.SelectOptions.Contains("SPECIAL-USE");
        var showSubscribed = list.Lsub || onlySubscribed || list.ReturnOptions.Contains("SUBSCRIBED");
        foreach (var folder in folders)
        {
            if (!matchers.Any(m => m.IsMatch(folder.Name))) continue;
            if (onlySubscribed && !folder.Subscribed) continue;
            if (onlySpecial && folder.SpecialUse is null) continue;
            var attributes = new List<string>();
            if (!list.Lsub)
            {
                var hasChildren = folders.Any(f => f.Name.StartsWith(folder.Name + SpecialFolders.Delimiter, StringComparison.Ordinal));
                attributes.Add(hasChildren ? "\\HasChildren" : "\\HasNoChildren");
                if (folder.SpecialUse is { } use) attributes.Add(use);
            }
            if (showSubscribed && folder.Subscribed && !list.Lsub) attributes.Add("\\Subscribed");
            var w = session.Writer().Raw($"* {verb} (" + string.Join(' ', attributes) + ") \"/\"").Item();
            w.AString(session.EncodeMailbox(folder.Name)).Crlf();
            if (list.StatusItems.Count > 0)
            {
                var status = StatusHandler.Render(folder, list.StatusItems);
                if (status is not null) WriteStatus(session, folder.Name, status);
            }
        }
        return ImapResult.Ok(verb + " completed");
    }

    /// <summary>Writes "* STATUS name (items)".</summary>
    public static void WriteStatus(ImapSession session, string name, string items)
    {
        var w = session.Writer().Raw("* STATUS").Item();
        w.AString(session.EncodeMailbox(name)).Raw(" (" + items + ")").Crlf();
    }

    /// <summary>
    /// A pattern as a regular expression: "*" matches anything, "%" anything but the delimiter (RFC 9051 §6.3.9);
    /// INBOX matches in any case.
    /// </summary>
    public static Regex Matcher(string pattern)
    {
        if (pattern.Length >= 5 && pattern[..5].Equals("INBOX", StringComparison.OrdinalIgnoreCase) && (pattern.Length == 5 || pattern[5] == '/'))
        {
            pattern = "INBOX" + pattern[5..];
        }
        var builder = new StringBuilder("^");
        foreach (var c in pattern)
        {
            builder.Append(c switch
            {
                '*' => ".*",
                '%' => "[^/]*",
                _ => Regex.Escape(c.ToString()),
            });
        }
        // A client's pattern of many wildcards would backtrack; the non-backtracking engine is linear in the name.
        return new Regex(builder.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline | RegexOptions.NonBacktracking, TimeSpan.FromSeconds(1));
    }
}
