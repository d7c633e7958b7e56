using System.Text.Json;
using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Frontends.Http.Push;

/// <summary>
/// A mailbox event as the hub sends it (method <c>mailboxChanged</c>): the changes from <see cref="PreviousModseq"/> to
/// <see cref="Modseq"/> of one kind (<c>added</c>, <c>flags_changed</c>, <c>expunged</c>, <c>folders_changed</c>,
/// <c>quota_changed</c>) in one folder. <see cref="Flags"/> is null where the messages' flags differ or are not known.
/// </summary>
public sealed record MailboxEventView(
    long Modseq, long PreviousModseq, string Kind, int? FolderId, string? Folder, long[] MessageIds, long[] Uids, string[]? Flags)
{
    /// <summary>The view of an event.</summary>
    public static MailboxEventView Of(MailboxEvent e) => new(e.Modseq, e.PreviousModseq,
        JsonNamingPolicy.SnakeCaseLower.ConvertName(e.Kind.ToString()), e.FolderId, e.Folder, e.MessageIds.ToArray(), e.Uids.ToArray(), e.Flags?.ToArray());
}
