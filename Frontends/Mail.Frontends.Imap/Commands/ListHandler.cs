using System.Text;
using System.Text.RegularExpressions;
using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// LIST (RFC 9051 §6.3.9) with "%" and "*" wildcards, LIST-EXTENDED selection and return options (RFC 5258:
/// SUBSCRIBED, RECURSIVEMATCH, SPECIAL-USE, CHILDREN), LIST-STATUS (RFC 5819), SPECIAL-USE attributes (RFC 6154), and LSUB
/// (RFC 3501 §6.3.9); <see cref="ListSelection"/> decides what is listed.
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
        var patterns = list.Patterns.Select(p => session.DecodeMailbox(list.Reference + p)).ToList();
        var own = await session.Mailbox.ListFoldersAsync();
        // LSUB and SUBSCRIBED list subscriptions, which are names of the session's own mailbox.
        var shared = list.Lsub ? new SharedListing() : await SharedListing.LoadAsync(session, patterns);
        var folders = shared.Folders.Count == 0 ? own : own.Concat(shared.Folders).ToList();
        var matchers = patterns.Select(Matcher).ToList();
        var request = new ListSelection.Request(
            Lsub: list.Lsub,
            Subscribed: list.SelectOptions.Contains("SUBSCRIBED"),
            RecursiveMatch: list.SelectOptions.Contains("RECURSIVEMATCH"),
            SpecialUse: list.SelectOptions.Contains("SPECIAL-USE"),
            ReturnSubscribed: list.SelectOptions.Contains("SUBSCRIBED") || list.ReturnOptions.Contains("SUBSCRIBED"));
        var needsSubscriptions = request.Lsub || request.Subscribed || request.ReturnSubscribed;
        var subscriptions = needsSubscriptions ? await session.Mailbox.ListSubscriptionsAsync() : [];
        foreach (var entry in ListSelection.Select(request, folders, subscriptions, matchers, shared.Placeholders))
        {
            var w = session.Writer().Raw($"* {verb} (" + string.Join(' ', entry.Attributes) + ") \"/\"").Item();
            w.AString(session.EncodeMailbox(entry.Name));
            if (entry.SubscribedChildInfo) w.Raw(" (\"CHILDINFO\" (\"SUBSCRIBED\"))");
            w.Crlf();
            if (list.StatusItems.Count > 0 && entry.Folder is { } folder && !shared.Placeholders.Contains(folder.Name))
            {
                await WriteListStatusAsync(session, shared, folder, list.StatusItems);
            }
        }
        return ImapResult.Ok(verb + " completed");
    }

    /// <summary>
    /// The STATUS of a listed folder (RFC 5819): of the session's own from its grain; of a shared one from the owner's,
    /// when the session has "r" there (RFC 4314 §4), otherwise none.
    /// </summary>
    private static async Task WriteListStatusAsync(ImapSession session, SharedListing shared, FolderInfo folder, IReadOnlyList<string> items)
    {
        var mailbox = session.Mailbox;
        if (shared.Find(folder.Name) is { } other)
        {
            if (!AclRights.Has(other.Rights, 'r')) return;
            mailbox = session.Grains.GetGrain<IMailboxGrain>(other.OwnerAccountId);
            var found = (await mailbox.ListFoldersAsync()).FirstOrDefault(f => f.Name == other.Folder);
            if (found is null) return;
            folder = found with { Name = folder.Name };
        }
        var status = await StatusHandler.RenderAsync(mailbox, folder, items);
        if (status is not null) WriteStatus(session, folder.Name, status);
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
