using System.Text;
using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// STATUS (RFC 9051 §6.3.11): MESSAGES, UIDNEXT, UIDVALIDITY, UNSEEN, DELETED, SIZE, HIGHESTMODSEQ (RFC 7162), and RECENT (RFC 3501
/// §6.3.10): the messages no session has claimed as \Recent yet; MAILBOXID (RFC 8474 §4.3).
/// </summary>
public sealed class StatusHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["STATUS"];

    /// <inheritdoc />
    public ImapState States => ImapState.LoggedIn;

    /// <inheritdoc />
    public async Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        var status = (StatusCommand)command;
        var name = session.DecodeMailbox(status.Mailbox);
        var target = await session.ResolveAsync(name);
        if (target is null) return ImapResult.No($"Mailbox {name} does not exist", "NONEXISTENT");
        // RFC 4314 §4: STATUS takes "r".
        if (!target.Has('r')) return ImapResult.No($"No right to read {name}", "NOPERM");
        var folders = await target.Grain.ListFoldersAsync();
        var folder = folders.FirstOrDefault(f => SameName(f.Name, target.Folder));
        if (folder is null) return ImapResult.No($"Mailbox {name} does not exist", "NONEXISTENT");
        var rendered = await RenderAsync(target.Grain, folder, status.Items);
        if (rendered is null) return ImapResult.Bad("Unknown STATUS item");
        ListHandler.WriteStatus(session, target.ClientName(folder.Name), rendered);
        return ImapResult.Ok("STATUS completed");
    }

    /// <summary>Whether a client's name denotes a folder (INBOX in any case, RFC 9051 §5.1).</summary>
    public static bool SameName(string folder, string name) =>
        folder == name.Trim() || folder == SpecialFolders.Inbox && name.Trim().Equals(SpecialFolders.Inbox, StringComparison.OrdinalIgnoreCase)
        || name.Trim().StartsWith("INBOX/", StringComparison.OrdinalIgnoreCase) && folder == "INBOX" + name.Trim()[5..];

    /// <summary>The status items, or null when one is unknown.</summary>
    public static async Task<string?> RenderAsync(IMailboxGrain mailbox, FolderInfo folder, IReadOnlyList<string> items)
    {
        var recent = items.Contains("RECENT") ? await mailbox.CountRecentAsync(folder.FolderId) : 0;
        var deleted = items.Contains("DELETED") ? await mailbox.CountDeletedAsync(folder.FolderId) : 0;
        var builder = new StringBuilder();
        foreach (var item in items)
        {
            if (item == "MAILBOXID")
            {
                // RFC 8474 §4.3: STATUS (and LIST RETURN STATUS) MAILBOXID answers with the id in parentheses.
                if (builder.Length > 0) builder.Append(' ');
                builder.Append("MAILBOXID (").Append(ObjectIds.MailboxId(folder.FolderId, folder.UidValidity)).Append(')');
                continue;
            }
            long? value = item switch
            {
                "MESSAGES" => folder.MessageCount,
                "UIDNEXT" => folder.UidNext,
                "UIDVALIDITY" => folder.UidValidity,
                "UNSEEN" => folder.UnseenCount,
                "SIZE" => folder.TotalSize,
                "HIGHESTMODSEQ" => folder.HighestModseq,
                "RECENT" => recent,
                "DELETED" => deleted,
                _ => null,
            };
            if (value is null) return null;
            if (builder.Length > 0) builder.Append(' ');
            builder.Append(item).Append(' ').Append(value.Value);
        }
        return builder.ToString();
    }
}
