using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Events;

/// <summary>
/// Change-log rows as mailbox events, so a consumer handles replayed and streamed changes alike: one event per run of
/// rows of the same kind and folder (at most <see cref="MaxMessages"/> messages), chained by MODSEQ. Flags are not in
/// the log, so replayed events carry none.
/// </summary>
public static class MailboxLogEvents
{
    /// <summary>Most messages one replayed event lists.</summary>
    public const int MaxMessages = 1000;

    /// <summary>The events of <paramref name="changes"/> (oldest first), the first chained to <paramref name="previousModseq"/>.</summary>
    public static List<MailboxEvent> From(string accountId, long previousModseq, IReadOnlyList<MailboxChange> changes, IReadOnlyDictionary<int, string> folders)
    {
        var events = new List<MailboxEvent>();
        var previous = previousModseq;
        var start = 0;
        while (start < changes.Count)
        {
            var kind = KindOf(changes[start].Kind);
            var folder = changes[start].FolderId;
            var end = start + 1;
            while (end < changes.Count && end - start < MaxMessages && KindOf(changes[end].Kind) == kind
                   && (kind == MailboxEventKind.FoldersChanged || changes[end].FolderId == folder))
            {
                end++;
            }
            var run = changes.Skip(start).Take(end - start).ToList();
            var folderIds = run.Select(c => c.FolderId).Distinct().ToList();
            int? folderId = folderIds.Count == 1 ? folderIds[0] : null;
            var messages = run.Where(c => c.MessageId is not null && c.Uid is not null).ToList();
            var modseq = run[^1].Modseq;
            events.Add(new MailboxEvent(accountId, modseq, previous, kind, folderId,
                folderId is { } id ? folders.GetValueOrDefault(id) : null,
                messages.Select(c => c.MessageId!.Value).ToArray(), messages.Select(c => c.Uid!.Value).ToArray(), null));
            previous = modseq;
            start = end;
        }
        return events;
    }

    /// <summary>The event kind of a change-log kind.</summary>
    public static MailboxEventKind KindOf(MailboxChangeKind kind) => kind switch
    {
        MailboxChangeKind.Added => MailboxEventKind.Added,
        MailboxChangeKind.FlagsChanged => MailboxEventKind.FlagsChanged,
        MailboxChangeKind.Expunged => MailboxEventKind.Expunged,
        _ => MailboxEventKind.FoldersChanged,
    };
}
