using Mail.Events;
using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Grains.Mailboxes;

/// <summary>
/// Turns a committed write's change-log rows into its mailbox events: one per kind and folder (folder changes in one),
/// ordered by their highest MODSEQ and chained (each event's PreviousModseq is the one before's Modseq), so together
/// they cover the write from the mailbox's MODSEQ before it to the one after it without a gap.
/// </summary>
public static class MailboxEventBuilder
{
    /// <summary>
    /// Most messages one event lists. A larger write's events list none (the consumer reads the change log for them):
    /// an event stays small enough for every stream provider (an Azure queue message holds 64 KiB).
    /// </summary>
    public const int MaxMessagesPerEvent = 1000;

    /// <summary>The events of a write committed on top of <paramref name="previousModseq"/>; none for a write without change-log rows.</summary>
    public static IReadOnlyList<MailboxEvent> From(string accountId, long previousModseq, IReadOnlyList<LoggedChange> logged, Func<int, string?> folderName)
    {
        if (logged.Count == 0) return [];
        var groups = logged
            .GroupBy(c => (Kind: MailboxLogEvents.KindOf(c.Kind), Folder: MailboxLogEvents.KindOf(c.Kind) == MailboxEventKind.FoldersChanged ? -1 : c.FolderId))
            .Select(g => (g.Key.Kind, Max: g.Max(c => c.Modseq), Changes: g.ToList()))
            .OrderBy(g => g.Max)
            .ToList();
        var events = new List<MailboxEvent>(groups.Count);
        var previous = previousModseq;
        foreach (var (kind, max, changes) in groups)
        {
            var folders = changes.Select(c => c.FolderId).Distinct().ToList();
            int? folderId = folders.Count == 1 ? folders[0] : null;
            var messages = changes.Where(c => c.MessageId is not null && c.Uid is not null).ToList();
            var listed = messages.Count <= MaxMessagesPerEvent;
            events.Add(new MailboxEvent(
                accountId, max, previous, kind, folderId, folderId is { } id ? folderName(id) : null,
                listed ? messages.Select(c => c.MessageId!.Value).ToArray() : [],
                listed ? messages.Select(c => c.Uid!.Value).ToArray() : [],
                listed ? CommonFlags(kind, messages) : null));
            previous = max;
        }
        return events;
    }

    // The flags every listed message has after the change, when they all have the same (one message, STORE FLAGS);
    // otherwise null, and a consumer that needs them reads the messages.
    private static IReadOnlyList<string>? CommonFlags(MailboxEventKind kind, List<LoggedChange> messages)
    {
        if (kind is not (MailboxEventKind.Added or MailboxEventKind.FlagsChanged) || messages.Count == 0) return null;
        var first = messages[0].Flags;
        if (first is null) return null;
        foreach (var change in messages)
        {
            if (change.Flags is null || !change.Flags.SequenceEqual(first)) return null;
        }
        return first.ToArray();
    }
}
