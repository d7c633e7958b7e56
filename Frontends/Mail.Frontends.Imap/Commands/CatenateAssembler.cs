using Mail.Frontends.Imap.Mime;
using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Storage.Blobs;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// Builds a CATENATE message (RFC 4469 §5): TEXT parts as given, URL parts replaced by the octets of the message or
/// section an IMAP URL names in this account's own mailboxes. A URL that names another user, a mailbox or message that
/// does not exist, a UIDVALIDITY that is not the mailbox's, or a missing section is <c>NO [BADURL url]</c> (§6); a
/// result over the APPEND limit is <c>NO [TOOBIG]</c>.
/// </summary>
public static class CatenateAssembler
{
    /// <summary>The assembled message, or the NO that refuses the APPEND.</summary>
    public static async Task<(byte[]? Message, ImapResult? Refusal)> AssembleAsync(ImapSession session, IReadOnlyList<CatenatePart> parts,
        IReadOnlyList<FolderInfo> folders, long limit, CancellationToken ct)
    {
        var output = new MemoryStream();
        foreach (var part in parts)
        {
            if (!part.IsUrl)
            {
                output.Write(part.Text.Span);
            }
            else
            {
                var content = await ResolveAsync(session, part.Url!, folders, ct);
                if (content is null) return (null, ImapResult.No($"Bad URL {part.Url}", "BADURL " + Quote(part.Url!)));
                output.Write(content.Value.Span);
            }
            if (output.Length > limit) return (null, ImapResult.No("The message would be too big", "TOOBIG"));
        }
        return (output.ToArray(), null);
    }

    /// <summary>The octets an IMAP URL names in the session's account, or null when it names nothing this session may read.</summary>
    public static async Task<ReadOnlyMemory<byte>?> ResolveAsync(ImapSession session, string text, IReadOnlyList<FolderInfo> folders, CancellationToken ct)
    {
        if (!ImapUrl.TryParse(text, out var url)) return null;
        var account = session.Account!;
        if (url.User is { } user && !user.Equals(account.Address, StringComparison.OrdinalIgnoreCase)) return null;
        var folder = folders.FirstOrDefault(f => StatusHandler.SameName(f.Name, url.Mailbox));
        if (folder is null || url.UidValidity is { } validity && validity != folder.UidValidity) return null;
        var view = await session.Mailbox.GetFolderViewAsync(folder.FolderId);
        var index = view.Map.IndexOfUid(url.Uid);
        if (index < 0) return null;
        var contents = await session.Mailbox.GetContentsAsync([view.Map.MessageIdAt(index)]);
        if (contents.Count == 0) return null;
        var blob = contents[0].Blob;
        var bytes = new byte[blob.Length];
        await using (var stream = await session.Blobs.OpenReadAsync(blob.TenantId, new BlobRef(blob.Name, blob.Length), ct))
        {
            await stream.ReadExactlyAsync(bytes, ct);
        }
        ReadOnlyMemory<byte> content = bytes;
        if (url.Section is { } section)
        {
            if (SectionReader.Read(bytes, MimeStructure.Parse(bytes), section) is not { } part) return null;
            content = part;
        }
        if (url.PartialStart is { } start) content = SectionReader.Partial(content, new BodySection([], SectionKind.All, [], start, url.PartialLength));
        return content;
    }

    private static string Quote(string url) => "\"" + url.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
