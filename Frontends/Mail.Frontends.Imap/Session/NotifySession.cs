using System.Threading.Channels;
using Mail.Events;
using Mail.Frontends.Imap.Commands;
using Mail.Frontends.Imap.Protocol;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;
using Microsoft.Extensions.Logging;

namespace Mail.Frontends.Imap.Session;

/// <summary>
/// One session's NOTIFY SET (RFC 5465) in force: it follows the account's change feed (the mailbox event stream, with
/// change-log replay behind it) and, as soon as a change is committed by any session, SMTP delivery or the HTTP API,
/// reports it without waiting for a command (§1: with NOTIFY the client accepts unsolicited responses at any time). The
/// selected mailbox's changes go out as EXISTS / EXPUNGE / FETCH (§5.2 to §5.4; EXPUNGE held back under
/// SELECTED-DELAYED until a command allows it), other mailboxes' as STATUS (§5.1), created, deleted and renamed
/// mailboxes and subscription changes as LIST (§5.4, §5.5). Between commands it takes the session's output turn, so
/// its responses never interleave with a command's. Too much at once, or a gap in the change log, ends notification
/// with NOTIFICATIONOVERFLOW (§5.8): the client resynchronizes and may NOTIFY SET again.
/// </summary>
public sealed class NotifySession : IAsyncDisposable
{
    private const int ChangePage = 500;
    private readonly ImapSession _session;
    private readonly IReadOnlyList<NotifyGroup> _groups;
    private readonly ILogger _logger;
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private MailboxChangeFeed? _feed;
    private Task _pump = Task.CompletedTask;
    private Dictionary<int, FolderInfo> _folders = new();
    private long _position;

    private NotifySession(ImapSession session, IReadOnlyList<NotifyGroup> groups, ILogger logger)
    {
        _session = session;
        _groups = groups;
        _logger = logger;
        SelectedGroup = groups.FirstOrDefault(g => g.Filter is NotifyFilter.Selected or NotifyFilter.SelectedDelayed);
    }

    /// <summary>The group for the selected mailbox (SELECTED or SELECTED-DELAYED), if the client gave one.</summary>
    public NotifyGroup? SelectedGroup { get; }

    /// <summary>Whether notification is still on (NOTIFICATIONOVERFLOW turns it off).</summary>
    public bool Active => !_stop.IsCancellationRequested;

    /// <summary>Starts following the account: from the mailbox's current MODSEQ on, with a snapshot of its folders.</summary>
    public static async Task<NotifySession> StartAsync(ImapSession session, IReadOnlyList<NotifyGroup> groups, IClusterClient cluster,
        MailboxChangeFeedOptions feedOptions, ILogger logger)
    {
        var notify = new NotifySession(session, groups, logger);
        // Subscribed first, so a change made between the snapshot and the subscription still wakes the session.
        try
        {
            notify._feed = await MailboxChangeFeed.StartAsync(cluster, session.Account!.AccountId, null, _ =>
            {
                notify._changed.Writer.TryWrite(true);
                return Task.CompletedTask;
            }, feedOptions, logger);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Without the stream the feed's own fallback is gone too: the session still reports at each command's end.
            logger.LogWarning(e, "NOTIFY of {Account} cannot follow the mailbox event stream; notifications come with commands only.", session.Account!.AccountId);
        }
        notify._position = await session.Mailbox.GetHighestModseqAsync();
        notify._folders = (await session.Mailbox.ListFoldersAsync()).ToDictionary(f => f.FolderId);
        notify._pump = notify.PumpAsync();
        return notify;
    }

    /// <summary>
    /// NOTIFY SET STATUS (RFC 5465 §3.1): a STATUS for each mailbox the message events of a group cover, the selected one
    /// excepted.
    /// </summary>
    public async Task WriteInitialStatusAsync()
    {
        foreach (var folder in _folders.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            if (folder.FolderId == _session.Selected?.FolderId) continue;
            if (GroupOf(folder) is not { } group || (group.Events & MessageEvents) == 0) continue;
            await WriteStatusAsync(folder);
        }
    }

    /// <summary>
    /// The FETCH responses MessageNew asks for (RFC 5465 §5.2), for the selected mailbox's messages from
    /// <paramref name="firstUid"/> on, after their EXISTS.
    /// </summary>
    public async Task FetchNewAsync(long firstUid, CancellationToken ct)
    {
        if (SelectedGroup is not { FetchItems.Count: > 0 } group || _session.Selected is not { } selected || selected.MaxUid < firstUid) return;
        var fetch = new FetchCommand("*", new SequenceSet([new SequenceRange(firstUid, selected.MaxUid)]), group.FetchItems, null, false) { Uid = true };
        await new FetchHandler().HandleAsync(_session, fetch, ct);
    }

    /// <summary>
    /// Reports what changed since the last report. <paramref name="inCommand"/>: called while a command that allows
    /// EXPUNGE runs (IDLE); between commands EXPUNGE goes out only under SELECTED (RFC 5465 §6: SELECTED-DELAYED holds it).
    /// </summary>
    public async Task DeliverAsync(bool inCommand, CancellationToken ct)
    {
        if (!Active) return;
        if (_session.Selected is not null && (SelectedGroup is not null || inCommand))
        {
            await _session.SyncAsync(allowExpunge: inCommand || SelectedGroup?.Filter == NotifyFilter.Selected);
            if (_session.Closing) return;
        }
        if (_groups.Any(g => g.Filter is not (NotifyFilter.Selected or NotifyFilter.SelectedDelayed))) await ReportOtherMailboxesAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Stop();
        await _pump;
    }

    private static NotifyEvents MessageEvents => NotifyEvents.MessageNew | NotifyEvents.MessageExpunge | NotifyEvents.FlagChange;

    private void Stop()
    {
        if (!_stop.IsCancellationRequested) _stop.Cancel();
    }

    /// <summary>Between commands: waits for a change, then for the session's output turn, and reports it.</summary>
    private async Task PumpAsync()
    {
        try
        {
            while (await _changed.Reader.WaitToReadAsync(_stop.Token))
            {
                _changed.Reader.TryRead(out _);
                await _session.Turn.WaitAsync(_stop.Token);
                try
                {
                    if (_session.Closing || !Active) break;
                    await DeliverAsync(inCommand: false, _stop.Token);
                    // Not with the stop token: an overflow stops notification and its response must still go out.
                    await _session.FlushAsync(CancellationToken.None);
                }
                catch (Exception e) when (e is not OperationCanceledException && !ImapSession.IsDisconnect(e))
                {
                    _logger.LogWarning(e, "Session {Session}: a NOTIFY report failed; the next change or command reports it again.", _session.Id);
                }
                finally
                {
                    _session.Turn.Release();
                }
            }
        }
        catch (Exception e) when (ImapSession.IsDisconnect(e))
        {
            // Stopped (NOTIFY NONE, a new NOTIFY SET, overflow) or the client went away.
        }
        finally
        {
            if (_feed is not null) await _feed.DisposeAsync();
        }
    }

    /// <summary>RFC 5465 §5.8: tells the client it missed notifications and stops; it must resynchronize itself.</summary>
    private void Overflow(string why)
    {
        _session.Untagged($"OK [NOTIFICATIONOVERFLOW] {why}; NOTIFY is now off");
        if (ReferenceEquals(_session.Notify, this)) _session.Notify = null;
        Stop();
    }

    /// <summary>STATUS for other mailboxes' message changes, LIST for mailbox and subscription changes, from the change log.</summary>
    private async Task ReportOtherMailboxesAsync()
    {
        var touched = new Dictionary<int, NotifyEvents>();
        var foldersChanged = false;
        var count = 0;
        while (true)
        {
            IReadOnlyList<MailboxChange> changes;
            try
            {
                changes = await _session.Mailbox.GetChangesAsync(_position, ChangePage);
            }
            catch (MailException e) when (e.Code == MailErrorCode.HistoryPruned)
            {
                Overflow("Changes were pruned before they could be reported");
                return;
            }
            foreach (var change in changes)
            {
                var kind = change.Kind switch
                {
                    MailboxChangeKind.Added => NotifyEvents.MessageNew,
                    MailboxChangeKind.Expunged => NotifyEvents.MessageExpunge,
                    MailboxChangeKind.FlagsChanged => NotifyEvents.FlagChange,
                    _ => NotifyEvents.None,
                };
                if (kind == NotifyEvents.None) foldersChanged = true;
                else touched[change.FolderId] = touched.GetValueOrDefault(change.FolderId) | kind;
            }
            if (changes.Count > 0) _position = changes[^1].Modseq;
            count += changes.Count;
            if (count > _session.Options.NotifyMaxChanges)
            {
                Overflow($"More than {_session.Options.NotifyMaxChanges} changes at once");
                return;
            }
            if (changes.Count < ChangePage) break;
        }
        if (touched.Count == 0 && !foldersChanged) return;
        var folders = (await _session.Mailbox.ListFoldersAsync()).ToDictionary(f => f.FolderId);
        if (foldersChanged) WriteFolderChanges(_folders, folders);
        _folders = folders;
        foreach (var (folderId, events) in touched.OrderBy(t => t.Key))
        {
            // RFC 5465 §5.1: the selected mailbox is reported by EXISTS, EXPUNGE and FETCH, never by STATUS.
            if (folderId == _session.Selected?.FolderId || !folders.TryGetValue(folderId, out var folder)) continue;
            if (GroupOf(folder) is { } group && (group.Events & events) != 0) await WriteStatusAsync(folder);
        }
    }

    /// <summary>
    /// LIST responses for mailboxes created, deleted (\NonExistent) or renamed (with OLDNAME, RFC 5465 §5.4) and for
    /// subscription changes (§5.5: \Subscribed, or no attribute once unsubscribed).
    /// </summary>
    private void WriteFolderChanges(Dictionary<int, FolderInfo> before, Dictionary<int, FolderInfo> after)
    {
        foreach (var folder in after.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            if (!before.TryGetValue(folder.FolderId, out var old))
            {
                if (Wants(folder, NotifyEvents.MailboxName)) WriteList("", folder.Name, null);
                continue;
            }
            if (old.Name != folder.Name && (Wants(folder, NotifyEvents.MailboxName) || Wants(old, NotifyEvents.MailboxName))) WriteList("", folder.Name, old.Name);
            if (old.Subscribed != folder.Subscribed && (Wants(folder, NotifyEvents.SubscriptionChange) || Wants(old, NotifyEvents.SubscriptionChange)))
            {
                WriteList(folder.Subscribed ? "\\Subscribed" : "", folder.Name, null);
            }
        }
        foreach (var gone in before.Values.Where(f => !after.ContainsKey(f.FolderId)).OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            if (Wants(gone, NotifyEvents.MailboxName)) WriteList("\\NonExistent", gone.Name, null);
        }
    }

    private void WriteList(string attributes, string name, string? oldName)
    {
        var w = _session.Writer().Raw($"* LIST ({attributes}) \"/\"").Item();
        w.AString(_session.EncodeMailbox(name));
        if (oldName is not null) w.Raw(" (\"OLDNAME\" (").AString(_session.EncodeMailbox(oldName)).Raw("))");
        w.Crlf();
    }

    /// <summary>
    /// STATUS of a mailbox (RFC 5465 §5.1 to §5.4): MESSAGES, UIDNEXT, UIDVALIDITY and UNSEEN, and HIGHESTMODSEQ when a
    /// group asks for FlagChange (RFC 7162 §3.1.2.1 says what a client makes of it).
    /// </summary>
    private async Task WriteStatusAsync(FolderInfo folder)
    {
        List<string> items = ["MESSAGES", "UIDNEXT", "UIDVALIDITY", "UNSEEN"];
        if (_groups.Any(g => g.Events.HasFlag(NotifyEvents.FlagChange))) items.Add("HIGHESTMODSEQ");
        var rendered = await StatusHandler.RenderAsync(_session, folder, items);
        if (rendered is not null) ListHandler.WriteStatus(_session, folder.Name, rendered);
    }

    private bool Wants(FolderInfo folder, NotifyEvents events) => GroupOf(folder) is { } group && (group.Events & events) != 0;

    /// <summary>
    /// The first event group whose filter covers <paramref name="folder"/> (RFC 5465 §6). INBOXES counts as PERSONAL, as
    /// §6 asks of a server that cannot tell where an MDA may deliver: Sieve's fileinto can deliver to any mailbox.
    /// </summary>
    private NotifyGroup? GroupOf(FolderInfo folder) => _groups.FirstOrDefault(g => g.Filter switch
    {
        NotifyFilter.Inboxes or NotifyFilter.Personal => true,
        NotifyFilter.Subscribed => folder.Subscribed,
        NotifyFilter.Mailboxes => g.Mailboxes.Any(name => StatusHandler.SameName(folder.Name, name)),
        NotifyFilter.Subtree => g.Mailboxes.Any(name => StatusHandler.SameName(folder.Name, name)
            || folder.Name.StartsWith(Canonical(name) + "/", StringComparison.Ordinal)),
        _ => false,
    });

    /// <summary>A client's mailbox name with INBOX in upper case (RFC 9051 §5.1: INBOX is case-insensitive).</summary>
    private static string Canonical(string name) =>
        name.Equals(SpecialFolders.Inbox, StringComparison.OrdinalIgnoreCase) || name.StartsWith("INBOX/", StringComparison.OrdinalIgnoreCase)
            ? SpecialFolders.Inbox + name[5..]
            : name;
}
