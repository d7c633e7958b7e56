using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;
using Orleans.Concurrency;

namespace Mail.Grains.Mailboxes;

/// <summary>
/// The single writer of one mailbox. Keeps the mailbox counters and folders in memory (never the
/// messages), so each write is one small batch whatever the mailbox size: insert or update the
/// message row, append a change-log row, update the folder and mailbox counters under the fencing epoch.
/// </summary>
public sealed partial class MailboxGrain(MailboxStore store, AclStore acls) : Grain, IMailboxGrain
{
    private MailboxHead? _head;
    private (string Holder, DateTimeOffset Until)? _maildropLock;
    private Dictionary<int, FolderHead> _folders = new();
    // Subscribed names without a folder (their folder was deleted); see mailbox_subscriptions.
    private HashSet<string> _subscriptions = new(StringComparer.Ordinal);
    // Folder maps loaded for SELECT/POP3 (and kept up to date by every write from then on), and loads under way.
    private readonly Dictionary<int, FolderMap> _maps = new();
    private readonly Dictionary<int, Task<FolderMap>> _mapLoads = new();
    private MailboxEventPublisher? _events;

    private string AccountId => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await LoadAsync();
        await base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task ProvisionAsync(string tenantId, long quotaBytes)
    {
        if (_head is not null) return;
        await store.CreateAsync(AccountId, tenantId, quotaBytes);
        await LoadAsync();
    }

    /// <inheritdoc />
    public async Task SetQuotaLimitAsync(long quotaBytes)
    {
        var head = RequireHead();
        await Guarded(() => store.SetQuotaLimitAsync(AccountId, head.Epoch, quotaBytes));
        _head = head with { QuotaLimit = quotaBytes };
        PublishQuotaChanged(head.HighestModseq, head.HighestModseq);
    }

    /// <inheritdoc />
    public async Task PurgeAsync()
    {
        // A mailbox this activation never loaded has no epoch to hold: load (and so take) one, as any write would.
        if (_head is null) await LoadAsync();
        if (_head is { } head)
        {
            await Guarded(() => store.PurgeAsync(AccountId, head.Epoch));
            // The log is gone with the mailbox: MODSEQ 0 tells consumers to start again.
            PublishQuotaChanged(0, head.HighestModseq);
        }
        _head = null;
        _folders = new();
        _subscriptions = new(StringComparer.Ordinal);
        _maps.Clear();
        DeactivateOnIdle();
    }

    /// <inheritdoc />
    public async Task<DeliveryResult> DeliverAsync(MessageDelivery delivery)
    {
        using var activity = Mail.Grains.Interfaces.Diagnostics.MailTelemetry.Source.StartActivity("mailbox.deliver");
        activity?.SetTag("mail.account", AccountId);
        var head = RequireHead();
        // A retry of a delivery that filled the mailbox is still a duplicate, not a refusal; the extra
        // lookup is paid only when the mailbox is full.
        if (head.QuotaUsed + delivery.Blob.Length > head.QuotaLimit && await store.FindDeliveryAsync(AccountId, delivery.DeliveryId) is { } filed)
        {
            return new DeliveryResult(filed, Duplicate: true);
        }
        var write = NewWrite();
        var row = Stage(write, delivery);
        var fresh = await Guarded(() => store.DeliverAsync(write, head.Epoch, row));
        if (fresh)
        {
            Apply(write);
            return new DeliveryResult(row.MessageId, Duplicate: false);
        }
        var existing = await store.FindDeliveryAsync(AccountId, delivery.DeliveryId)
            ?? throw new InvalidOperationException($"Delivery {delivery.DeliveryId} conflicted but is not recorded.");
        return new DeliveryResult(existing, Duplicate: true);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DeliveryOutcome>> DeliverBatchAsync(IReadOnlyList<MessageDelivery> deliveries)
    {
        using var activity = Mail.Grains.Interfaces.Diagnostics.MailTelemetry.Source.StartActivity("mailbox.deliver_batch");
        activity?.SetTag("mail.account", AccountId);
        activity?.SetTag("mail.batch", deliveries.Count);
        var head = RequireHead();
        var outcomes = new DeliveryOutcome?[deliveries.Count];
        var write = NewWrite();
        var staged = new List<(int Index, DeliveredRow Row)>();
        for (var i = 0; i < deliveries.Count; i++)
        {
            // A delivery that cannot be staged on the others (over quota, which needs the duplicate lookup, or a missing
            // folder) is left for the one-by-one pass below, which answers it exactly as a lone delivery. Stage refuses
            // before it changes the write.
            try
            {
                staged.Add((i, Stage(write, deliveries[i])));
            }
            catch (MailException)
            {
            }
        }
        if (staged.Count > 1 && await Guarded(() => store.DeliverBatchAsync(write, head.Epoch, staged.Select(s => s.Row).ToArray())))
        {
            Apply(write);
            foreach (var (index, row) in staged) outcomes[index] = new DeliveryOutcome(new DeliveryResult(row.MessageId, Duplicate: false));
        }
        // Anything the batch did not file (left out above, or all of it when a duplicate refused the transaction) goes alone.
        for (var i = 0; i < deliveries.Count; i++)
        {
            if (outcomes[i] is not null) continue;
            try
            {
                outcomes[i] = new DeliveryOutcome(await DeliverAsync(deliveries[i]));
            }
            catch (MailException e) when (e.Code is not MailErrorCode.Fenced)
            {
                outcomes[i] = new DeliveryOutcome(null, e.Code, e.Message);
            }
        }
        return outcomes!;
    }

    /// <summary>
    /// Adds a delivery to <paramref name="write"/> on top of what the write already holds: the next message id, MODSEQ and
    /// UID, the folder's and mailbox's counters, and its change-log row. The row carries the head as of this delivery.
    /// </summary>
    private DeliveredRow Stage(MailboxWrite write, MessageDelivery delivery)
    {
        var head = write.Head;
        var folder = write.Folder(FindFolder(delivery.Folder).FolderId);
        var flags = delivery.Flags.Select(FlagSet.CanonicalFlag).Concat(delivery.Labels.Select(LabelKeyword.ToKeyword)).Distinct().ToArray();
        var labels = LabelKeyword.LabelsOf(flags);
        var size = delivery.Blob.Length;
        CheckQuota(head, size);
        var messageId = head.NextMessageId;
        write.Head = head with
        {
            NextMessageId = messageId + 1,
            QuotaUsed = head.QuotaUsed + size,
            MessageCount = head.MessageCount + 1,
        };
        var modseq = write.NextModseq();
        var uid = folder.UidNext;
        var seen = flags.Contains(MessageFlags.Seen);
        write.SetFolder(folder with
        {
            UidNext = uid + 1,
            HighestModseq = modseq,
            MessageCount = folder.MessageCount + 1,
            UnseenCount = folder.UnseenCount + (seen ? 0 : 1),
            TotalSize = folder.TotalSize + size,
        });
        write.Track(MailboxChangeKind.Added, folder.FolderId, messageId, uid, flags);
        return new DeliveredRow(delivery, messageId, folder.FolderId, uid, flags, labels) { Head = write.Head };
    }

    /// <inheritdoc />
    public async Task<PlacedMessage> ReplaceAsync(MessageDelivery delivery, int folderId, long uid)
    {
        var head = RequireHead();
        FolderById(folderId);
        var target = FindFolder(delivery.Folder);
        var old = (await store.GetExpungeRowsAsync(AccountId, folderId, [uid])).SingleOrDefault()
            ?? throw new MailException(MailErrorCode.NotFound, "The message to replace no longer exists.");
        var flags = delivery.Flags.Select(FlagSet.CanonicalFlag).Concat(delivery.Labels.Select(LabelKeyword.ToKeyword)).Distinct().ToArray();
        var size = delivery.Blob.Length;
        CheckQuota(head with { QuotaUsed = head.QuotaUsed - old.Size }, size);

        // RFC 8508 §3.4: the append comes first (the new message's MODSEQ), then the expunge; one transaction holds both.
        var write = NewWrite();
        var messageId = head.NextMessageId;
        write.Head = write.Head with { NextMessageId = messageId + 1, QuotaUsed = head.QuotaUsed + size, MessageCount = head.MessageCount + 1 };
        var modseq = write.NextModseq();
        var newUid = target.UidNext;
        write.SetFolder(target with
        {
            UidNext = newUid + 1,
            HighestModseq = modseq,
            MessageCount = target.MessageCount + 1,
            UnseenCount = target.UnseenCount + (flags.Contains(MessageFlags.Seen) ? 0 : 1),
            TotalSize = target.TotalSize + size,
        });
        write.Track(MailboxChangeKind.Added, target.FolderId, messageId, newUid, flags);
        var delivered = write.Head;

        var expunged = write.NextModseq();
        var source = write.Folder(folderId);
        write.SetFolder(source with
        {
            HighestModseq = expunged,
            MessageCount = source.MessageCount - 1,
            UnseenCount = source.UnseenCount - (old.Seen ? 0 : 1),
            TotalSize = source.TotalSize - old.Size,
        });
        write.Head = write.Head with { QuotaUsed = write.Head.QuotaUsed - old.Size, MessageCount = write.Head.MessageCount - 1 };
        write.Add("DELETE FROM mailbox_messages WHERE account_id = @a AND message_id = @id", ("id", old.MessageId));
        write.Expunged([expunged], [folderId], [old.MessageId], [old.Uid]);

        var row = new DeliveredRow(delivery, messageId, target.FolderId, newUid, flags, LabelKeyword.LabelsOf(flags));
        if (!await Guarded(() => store.DeliverAndCommitAsync(write, delivered, head.Epoch, row)))
        {
            throw new InvalidOperationException($"Delivery {delivery.DeliveryId} of a REPLACE was filed before.");
        }
        Apply(write);
        return new PlacedMessage(old.MessageId, messageId, newUid);
    }

    /// <inheritdoc />
    [ReadOnly]
    public Task<IReadOnlyList<FolderInfo>> ListFoldersAsync()
    {
        RequireHead();
        IReadOnlyList<FolderInfo> folders = _folders.Values.OrderBy(f => f.Name == SpecialFolders.Inbox ? 0 : 1)
            .ThenBy(f => f.Name, StringComparer.Ordinal).Select(f => f.ToInfo()).ToArray();
        return Task.FromResult(folders);
    }

    /// <inheritdoc />
    public async Task<FolderInfo> CreateFolderAsync(string name, bool subscribe = true, string? specialUse = null)
    {
        var head = RequireHead();
        var canonical = FolderName.Canonical(name);
        var use = specialUse is null ? null : SpecialFolders.Creatable.FirstOrDefault(u => u.Equals(specialUse, StringComparison.OrdinalIgnoreCase))
            ?? throw new MailException(MailErrorCode.Invalid, $"Folders cannot be created with the special use {specialUse}.");
        if (TryFindFolder(canonical) is not null) throw new MailException(MailErrorCode.AlreadyExists, $"Folder {canonical} already exists.");
        var write = NewWrite();
        FolderHead? created = null;
        var adopted = new List<string>();
        var levels = new List<FolderHead>();
        foreach (var level in FolderName.Parents(canonical).Append(canonical))
        {
            if (TryFindFolder(level) is not null) continue;
            created = AddFolder(write, level, head.CreatedAt, subscribe || AdoptSubscription(write, level, adopted));
            levels.Add(created);
        }
        if (use is not null)
        {
            created = created! with { SpecialUse = use };
            write.SetFolder(created);
        }
        var inherited = await InheritAclAsync(write, levels);
        await CommitAsync(write);
        _subscriptions.ExceptWith(adopted);
        ApplyInheritedAcl(inherited);
        return created!.ToInfo();
    }

    /// <inheritdoc />
    public async Task DeleteFolderAsync(string name)
    {
        RequireHead();
        var folder = FindFolder(name);
        CheckUserFolder(folder);
        var doomed = _folders.Values.Where(f => FolderName.IsSelfOrBelow(f.Name, folder.Name)).ToList();
        if (doomed.Any(f => SpecialFolders.All.Contains((f.Name, f.SpecialUse)))) throw new MailException(MailErrorCode.Forbidden, "A special folder cannot be deleted.");
        var write = NewWrite();
        write.Head = write.Head with
        {
            QuotaUsed = write.Head.QuotaUsed - doomed.Sum(f => f.TotalSize),
            MessageCount = write.Head.MessageCount - doomed.Sum(f => f.MessageCount),
        };
        write.Add("DELETE FROM mailbox_messages WHERE account_id = @a AND folder_id = ANY(@ids)", ("ids", doomed.Select(f => f.FolderId).ToArray()));
        foreach (var f in doomed)
        {
            write.DeleteFolder(f.FolderId);
            write.Change(MailboxChangeKind.FolderDeleted, f.FolderId, write.NextModseq());
            // RFC 9051 §6.3.7: a deleted mailbox's name stays on the subscription list.
            if (f.Subscribed) write.Add("INSERT INTO mailbox_subscriptions (account_id, name) VALUES (@a, @n) ON CONFLICT DO NOTHING", ("n", f.Name));
        }
        await CommitAsync(write);
        _subscriptions.UnionWith(doomed.Where(f => f.Subscribed).Select(f => f.Name));
    }

    /// <inheritdoc />
    public async Task<FolderInfo> RenameFolderAsync(string name, string newName)
    {
        var head = RequireHead();
        var folder = FindFolder(name);
        CheckUserFolder(folder);
        var target = FolderName.Canonical(newName);
        if (TryFindFolder(target) is not null) throw new MailException(MailErrorCode.AlreadyExists, $"Folder {target} already exists.");
        if (FolderName.IsSelfOrBelow(target, folder.Name) || target == SpecialFolders.Inbox)
        {
            throw new MailException(MailErrorCode.Invalid, $"Folder {folder.Name} cannot be renamed to {target}.");
        }
        var write = NewWrite();
        foreach (var parent in FolderName.Parents(target))
        {
            if (TryFindFolder(parent) is null) AddFolder(write, parent, head.CreatedAt, subscribed: false);
        }
        foreach (var f in _folders.Values.Where(f => FolderName.IsSelfOrBelow(f.Name, folder.Name)).ToList())
        {
            var modseq = write.NextModseq();
            write.SetFolder(f with { Name = target + f.Name[folder.Name.Length..], HighestModseq = modseq });
            write.Change(MailboxChangeKind.FolderRenamed, f.FolderId, modseq);
        }
        await CommitAsync(write);
        return _folders[folder.FolderId].ToInfo();
    }

    /// <inheritdoc />
    [ReadOnly]
    public async Task<MessagePage> ListMessagesAsync(string folder, int offset, int limit)
    {
        RequireHead();
        var f = FindFolder(folder);
        var items = await store.ListMessagesAsync(AccountId, f.FolderId, Math.Max(0, offset), Math.Clamp(limit, 1, 1000), FolderNameOf);
        return new MessagePage(items, f.MessageCount);
    }

    /// <inheritdoc />
    [ReadOnly]
    public async Task<MessageRecord?> GetMessageAsync(long messageId)
    {
        RequireHead();
        return (await store.GetMessageAsync(AccountId, messageId, FolderNameOf))?.Record;
    }

    /// <inheritdoc />
    [ReadOnly]
    public async Task<IReadOnlyList<MessageRecord>> GetMessagesAsync(IReadOnlyList<long> messageIds)
    {
        RequireHead();
        if (messageIds.Count > IMailboxGrain.MaxContentBatch) throw new ArgumentOutOfRangeException(nameof(messageIds), $"At most {IMailboxGrain.MaxContentBatch} messages per call.");
        return messageIds.Count == 0 ? [] : (await store.GetMessagesAsync(AccountId, messageIds.ToArray(), FolderNameOf)).Select(r => r.Record).ToList();
    }

    /// <inheritdoc />
    [ReadOnly]
    public async Task<IReadOnlyList<MessageRecord>> GetThreadAsync(long threadId)
    {
        RequireHead();
        return await store.GetThreadAsync(AccountId, threadId, IMailboxGrain.MaxThreadMessages, FolderNameOf);
    }

    /// <inheritdoc />
    [ReadOnly]
    public Task<IReadOnlyList<LabelCount>> ListLabelsAsync()
    {
        RequireHead();
        return store.ListLabelsAsync(AccountId);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MessageContent>> GetContentsAsync(IReadOnlyList<long> messageIds)
    {
        RequireHead();
        if (messageIds.Count > IMailboxGrain.MaxContentBatch) throw new ArgumentOutOfRangeException(nameof(messageIds), $"At most {IMailboxGrain.MaxContentBatch} messages per call.");
        return messageIds.Count == 0 ? [] : await store.GetContentsAsync(AccountId, messageIds.ToArray());
    }

    /// <inheritdoc />
    public async Task<MessageRecord> UpdateMessageAsync(long messageId, MessageUpdate update)
    {
        RequireHead();
        var row = await RequireMessageAsync(messageId);
        var current = row.Record;
        // Labels are keywords (LabelKeyword): they change in the flags, and the labels column follows.
        var flags = FlagSet.Apply(current.Flags,
            (update.AddFlags?.Select(FlagSet.CanonicalFlag) ?? []).Concat(update.AddLabels?.Select(LabelKeyword.ToKeyword) ?? []),
            (update.RemoveFlags?.Select(FlagSet.CanonicalFlag) ?? []).Concat(update.RemoveLabels?.Select(LabelKeyword.ToKeyword) ?? []));
        var labels = LabelKeyword.LabelsOf(flags);
        var target = update.MoveTo is null ? null : FindFolder(update.MoveTo);
        var moving = target is not null && target.FolderId != row.FolderId;
        var flagsChanged = !flags.SequenceEqual(current.Flags) || !labels.SequenceEqual(current.Labels);
        if (!moving && !flagsChanged) return current;

        var write = NewWrite();
        var wasSeen = current.Flags.Contains(MessageFlags.Seen);
        var isSeen = flags.Contains(MessageFlags.Seen);
        var source = write.Folder(row.FolderId);
        long modseq;
        var uid = current.Uid;
        var folderId = row.FolderId;
        if (moving)
        {
            LeaveFolder(write, row, wasSeen);
            folderId = target!.FolderId;
            (uid, modseq) = EnterFolder(write, folderId, messageId, current.Size, flags);
        }
        else
        {
            modseq = write.NextModseq();
            write.SetFolder(source with { HighestModseq = modseq, UnseenCount = source.UnseenCount + (wasSeen ? 1 : 0) - (isSeen ? 1 : 0) });
            write.Change(MailboxChangeKind.FlagsChanged, folderId, modseq, messageId, uid, flags);
        }
        write.Add("UPDATE mailbox_messages SET folder_id = @f, uid = @uid, modseq = @m, flags = @flags, labels = @labels, saved_at = CASE WHEN folder_id = @f THEN saved_at ELSE now() END WHERE account_id = @a AND message_id = @id",
            ("f", folderId), ("uid", uid), ("m", modseq), ("flags", flags), ("labels", labels), ("id", messageId));
        await CommitAsync(write);
        return current with { Folder = FolderNameOf(folderId), Uid = uid, Modseq = modseq, Flags = flags, Labels = labels };
    }

    /// <inheritdoc />
    public async Task<FlagStoreResult> StoreFlagsAsync(IReadOnlyList<long> messageIds, FlagStoreMode mode, IReadOnlyList<string> flags, long? unchangedSince)
    {
        RequireHead();
        if (messageIds.Count > IMailboxGrain.MaxContentBatch) throw new ArgumentOutOfRangeException(nameof(messageIds), $"At most {IMailboxGrain.MaxContentBatch} messages per call.");
        var canonical = flags.Select(FlagSet.CanonicalFlag).ToArray();
        var rows = (await store.GetMessagesAsync(AccountId, messageIds.ToArray(), FolderNameOf)).ToDictionary(r => r.Record.MessageId);
        var write = NewWrite();
        var stored = new List<MessageFlagState>(rows.Count);
        var modified = new List<long>();
        foreach (var id in messageIds.Distinct())
        {
            if (!rows.TryGetValue(id, out var row)) continue;
            var current = row.Record;
            if (unchangedSince is { } limit && current.Modseq > limit)
            {
                modified.Add(id);
                continue;
            }
            var updated = mode switch
            {
                FlagStoreMode.Add => FlagSet.Apply(current.Flags, canonical, null),
                FlagStoreMode.Remove => FlagSet.Apply(current.Flags, null, canonical),
                _ => FlagSet.Apply([], canonical, null),
            };
            if (updated.Order(StringComparer.Ordinal).SequenceEqual(current.Flags.Order(StringComparer.Ordinal)))
            {
                stored.Add(new MessageFlagState(id, current.Flags, current.Modseq));
                continue;
            }
            var modseq = write.NextModseq();
            var folder = write.Folder(row.FolderId);
            var seenDelta = (current.Flags.Contains(MessageFlags.Seen) ? 1 : 0) - (updated.Contains(MessageFlags.Seen) ? 1 : 0);
            write.SetFolder(folder with { HighestModseq = modseq, UnseenCount = folder.UnseenCount + seenDelta });
            write.Change(MailboxChangeKind.FlagsChanged, row.FolderId, modseq, id, current.Uid, updated);
            write.Add("UPDATE mailbox_messages SET modseq = @m, flags = @flags, labels = @labels WHERE account_id = @a AND message_id = @id",
                ("m", modseq), ("flags", updated), ("labels", LabelKeyword.LabelsOf(updated)), ("id", id));
            stored.Add(new MessageFlagState(id, updated, modseq));
        }
        var first = RequireHead().HighestModseq + 1;
        if (write.Commands.Count == 0) return new FlagStoreResult(stored, modified);
        await CommitAsync(write);
        return new FlagStoreResult(stored, modified, first, write.Head.HighestModseq);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PlacedMessage>> PlaceMessagesAsync(IReadOnlyList<long> messageIds, string folder, bool move)
    {
        var head = RequireHead();
        if (messageIds.Count > IMailboxGrain.MaxPlaceBatch) throw new ArgumentOutOfRangeException(nameof(messageIds), $"At most {IMailboxGrain.MaxPlaceBatch} messages per call.");
        var destination = FindFolder(folder);
        var rows = (await store.GetMessagesAsync(AccountId, messageIds.ToArray(), FolderNameOf)).ToDictionary(r => r.Record.MessageId);
        var found = messageIds.Distinct().Where(rows.ContainsKey).Select(id => rows[id]).ToList();
        if (!move) CheckQuota(head, found.Sum(r => r.Record.Size));
        var write = NewWrite();
        var placed = new List<PlacedMessage>(found.Count);
        foreach (var row in found)
        {
            var current = row.Record;
            var seen = current.Flags.Contains(MessageFlags.Seen);
            // A move into the folder the message is in is a move like any other (RFC 6851 §3.3): it leaves under its
            // old UID and arrives under a new one.
            if (move) LeaveFolder(write, row, seen);
            var messageId = current.MessageId;
            if (!move)
            {
                messageId = write.Head.NextMessageId;
                write.Head = write.Head with
                {
                    NextMessageId = messageId + 1,
                    QuotaUsed = write.Head.QuotaUsed + current.Size,
                    MessageCount = write.Head.MessageCount + 1,
                };
            }
            var (uid, modseq) = EnterFolder(write, destination.FolderId, messageId, current.Size, current.Flags);
            if (move)
            {
                // RFC 8514 §1: the save date is when the message was placed in this folder, so a move sets it.
                write.Add("UPDATE mailbox_messages SET folder_id = @f, uid = @uid, modseq = @m, saved_at = now() WHERE account_id = @a AND message_id = @id",
                    ("f", destination.FolderId), ("uid", uid), ("m", modseq), ("id", messageId));
            }
            else
            {
                write.Add(CopyRowSql, ("copy", messageId), ("f", destination.FolderId), ("uid", uid), ("m", modseq), ("id", current.MessageId));
            }
            placed.Add(new PlacedMessage(current.MessageId, messageId, uid));
        }
        if (write.Commands.Count > 0) await CommitAsync(write);
        return placed;
    }

    /// <inheritdoc />
    public async Task<MessageRecord> CopyMessageAsync(long messageId, string folder)
    {
        RequireHead();
        var placed = await PlaceMessagesAsync([messageId], folder, move: false);
        if (placed.Count == 0) throw new MailException(MailErrorCode.NotFound, $"Message {messageId} does not exist.");
        return (await RequireMessageAsync(placed[0].MessageId)).Record;
    }

    /// <inheritdoc />
    public async Task ExpungeMessageAsync(long messageId)
    {
        RequireHead();
        var rows = await store.GetExpungeRowsAsync(AccountId, [messageId]);
        if (rows.Count == 0) throw new MailException(MailErrorCode.NotFound, $"Message {messageId} does not exist.");
        await ExpungeRowsAsync(rows);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<long>> ExpungeUidsAsync(int folderId, IReadOnlyList<long> uids)
    {
        RequireHead();
        CheckBatch(uids.Count);
        FolderById(folderId);
        if (uids.Count == 0) return [];
        var rows = await store.GetExpungeRowsAsync(AccountId, folderId, uids.ToArray());
        await ExpungeRowsAsync(rows);
        return rows.Select(r => r.Uid).ToArray();
    }

    /// <inheritdoc />
    [ReadOnly]
    public async Task<FolderView> OpenFolderAsync(string folder)
    {
        RequireHead();
        var f = FindFolder(folder);
        var map = await MapAsync(f.FolderId);
        // Counters and map as of the same moment: a write cannot interleave with this read-only call.
        return new FolderView(_folders[f.FolderId].ToInfo(), map);
    }

    /// <inheritdoc />
    [ReadOnly]
    public async Task<FolderView> GetFolderViewAsync(int folderId)
    {
        RequireHead();
        FolderById(folderId);
        var map = await MapAsync(folderId);
        return new FolderView(_folders[folderId].ToInfo(), map);
    }

    /// <inheritdoc />
    [ReadOnly]
    public async Task<FlagPage> GetFlagsAsync(int folderId, IReadOnlyList<long> uids)
    {
        RequireHead();
        CheckBatch(uids.Count);
        FolderById(folderId);
        var map = await MapAsync(folderId);
        var found = new List<long>(uids.Count);
        var flags = new List<IReadOnlyList<string>>(uids.Count);
        foreach (var uid in uids.Order())
        {
            var index = map.IndexOfUid(uid);
            if (index < 0) continue;
            found.Add(uid);
            flags.Add(map.FlagsAt(index));
        }
        return new FlagPage(found.ToArray(), flags.ToArray());
    }

    /// <inheritdoc />
    [ReadOnly]
    public async Task<IReadOnlyList<MessageSlot>> GetSlotsAsync(int folderId, IReadOnlyList<long> uids)
    {
        RequireHead();
        CheckBatch(uids.Count);
        FolderById(folderId);
        return uids.Count == 0 ? [] : await store.GetSlotsAsync(AccountId, folderId, uids.Order().ToArray());
    }

    /// <inheritdoc />
    [ReadOnly]
    public Task<IReadOnlyList<MessageSlot>> GetSlotsChangedSinceAsync(int folderId, long changedSince, long afterUid, int limit)
    {
        RequireHead();
        FolderById(folderId);
        return store.GetSlotsChangedSinceAsync(AccountId, folderId, changedSince, afterUid, Math.Clamp(limit, 1, IMailboxGrain.MaxSlotBatch));
    }

    /// <inheritdoc />
    public Task<bool> AcquireMaildropLockAsync(string holder, TimeSpan lease)
    {
        RequireHead();
        var now = DateTimeOffset.UtcNow;
        if (_maildropLock is { } held && held.Holder != holder && held.Until > now) return Task.FromResult(false);
        _maildropLock = (holder, now + lease);
        return Task.FromResult(true);
    }

    /// <inheritdoc />
    public Task ReleaseMaildropLockAsync(string holder)
    {
        if (_maildropLock?.Holder == holder) _maildropLock = null;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    [ReadOnly]
    public Task<QuotaInfo> GetQuotaAsync()
    {
        var head = RequireHead();
        return Task.FromResult(new QuotaInfo(head.QuotaUsed, head.QuotaLimit, head.MessageCount));
    }

    /// <inheritdoc />
    [ReadOnly]
    public Task<IReadOnlyList<MailboxChange>> GetChangesAsync(long afterModseq, int limit)
    {
        RequireHead();
        return store.GetChangesAsync(AccountId, afterModseq, Math.Clamp(limit, 1, 10_000));
    }

    /// <inheritdoc />
    [ReadOnly]
    public Task<long> GetHighestModseqAsync() => Task.FromResult(RequireHead().HighestModseq);

    /// <inheritdoc />
    public async Task<FolderInfo> SetSubscribedAsync(string folder, bool subscribed)
    {
        RequireHead();
        var canonical = FolderName.Canonical(folder);
        if (!subscribed && TryFindFolder(canonical) is null && _subscriptions.Contains(canonical))
        {
            var orphan = NewWrite();
            orphan.Add("DELETE FROM mailbox_subscriptions WHERE account_id = @a AND name = @n", ("n", canonical));
            orphan.Change(MailboxChangeKind.FolderSubscriptionChanged, 0, orphan.NextModseq());
            await CommitAsync(orphan);
            _subscriptions.Remove(canonical);
            return new FolderInfo(0, canonical, null, 0, 0, 0, 0, 0, 0, false);
        }
        var f = FindFolder(folder);
        if (f.Subscribed == subscribed) return f.ToInfo();
        var write = NewWrite();
        var modseq = write.NextModseq();
        write.SetFolder(f with { Subscribed = subscribed });
        write.Change(MailboxChangeKind.FolderSubscriptionChanged, f.FolderId, modseq);
        await CommitAsync(write);
        return _folders[f.FolderId].ToInfo();
    }

    /// <inheritdoc />
    [ReadOnly]
    public Task<IReadOnlyList<string>> ListSubscriptionsAsync()
    {
        RequireHead();
        IReadOnlyList<string> names = _folders.Values.Where(f => f.Subscribed).Select(f => f.Name).Concat(_subscriptions)
            .Order(StringComparer.Ordinal).ToArray();
        return Task.FromResult(names);
    }

    /// <inheritdoc />
    public async Task<long> ClaimRecentAsync(int folderId, long uidLimit, bool claim)
    {
        RequireHead();
        if (!_folders.TryGetValue(folderId, out var folder)) return uidLimit;
        var first = folder.RecentUid;
        var limit = Math.Min(uidLimit, folder.UidNext);
        if (!claim || limit <= first) return first;
        // Not a change of any message: no MODSEQ, no change-log row; only the folder row's horizon moves.
        var write = NewWrite();
        write.SetFolder(folder with { RecentUid = limit });
        await CommitAsync(write);
        return first;
    }

    /// <inheritdoc />
    [ReadOnly]
    public async Task<int> CountRecentAsync(int folderId)
    {
        RequireHead();
        if (!_folders.TryGetValue(folderId, out var folder) || folder.RecentUid >= folder.UidNext) return 0;
        return await store.CountFromUidAsync(AccountId, folderId, folder.RecentUid);
    }

    /// <inheritdoc />
    [ReadOnly]
    public async Task<int> CountDeletedAsync(int folderId)
    {
        RequireHead();
        if (!_folders.TryGetValue(folderId, out var folder) || folder.MessageCount == 0) return 0;
        return await store.CountFlaggedAsync(AccountId, folderId, MessageFlags.Deleted);
    }

    private async Task LoadAsync()
    {
        var loaded = await store.ActivateAsync(AccountId);
        _head = loaded?.Head;
        _folders = loaded?.Folders ?? new();
        _subscriptions = loaded?.Subscriptions ?? new(StringComparer.Ordinal);
    }

    private MailboxWrite NewWrite() => new(AccountId, RequireHead(), _folders);

    private FolderHead AddFolder(MailboxWrite write, string name, DateTimeOffset mailboxCreatedAt, bool subscribed)
    {
        var folderId = write.Head.NextFolderId;
        write.Head = write.Head with { NextFolderId = folderId + 1 };
        var modseq = write.NextModseq();
        var folder = new FolderHead(folderId, name, null, MailboxStore.UidValidity(mailboxCreatedAt, folderId), 1, modseq, 0, 0, 0, subscribed);
        write.SetFolder(folder);
        write.Change(MailboxChangeKind.FolderCreated, folderId, modseq);
        return folder;
    }

    /// <summary>
    /// Whether a folder being created under <paramref name="name"/> takes over that name's subscription (left by a deleted
    /// folder of the same name); the write removes it from the names without a folder.
    /// </summary>
    private bool AdoptSubscription(MailboxWrite write, string name, List<string> adopted)
    {
        if (!_subscriptions.Contains(name)) return false;
        write.Add("DELETE FROM mailbox_subscriptions WHERE account_id = @a AND name = @n", ("n", name));
        adopted.Add(name);
        return true;
    }

    /// <summary>Commits a write and only then applies it to memory.</summary>
    private async Task CommitAsync(MailboxWrite write)
    {
        await Guarded(() => store.CommitAsync(write, _head!.Epoch));
        Apply(write);
    }

    /// <summary>Makes a committed write the grain's state, folder maps included.</summary>
    private void Apply(MailboxWrite write)
    {
        var previous = _head!.HighestModseq;
        _head = write.Head;
        foreach (var (folderId, folder) in write.ChangedFolders)
        {
            if (folder is null)
            {
                _folders.Remove(folderId);
                _maps.Remove(folderId);
            }
            else
            {
                _folders[folderId] = folder;
            }
        }
        ApplyMapEdits(write.MapEdits);
        Events.Publish(MailboxEventBuilder.From(AccountId, previous, write.Logged, FolderNameOf));
    }

    private MailboxEventPublisher Events => _events ??= MailboxEventPublisher.For(this, AccountId, ServiceProvider);

    private void PublishQuotaChanged(long modseq, long previous) =>
        Events.Publish([new MailboxEvent(AccountId, modseq, previous, MailboxEventKind.QuotaChanged, null, null, [], [], null)]);

    /// <summary>Applies a write's message changes to the loaded folder maps: one builder (one copy of each touched page) per folder.</summary>
    private void ApplyMapEdits(List<MapEdit> edits)
    {
        if (edits.Count == 0 || _maps.Count == 0) return;
        var builders = new Dictionary<int, FolderMapBuilder?>();
        foreach (var edit in edits)
        {
            if (!_maps.TryGetValue(edit.FolderId, out var map)) continue;
            if (!builders.TryGetValue(edit.FolderId, out var builder)) builders[edit.FolderId] = builder = map.ToBuilder();
            if (builder is null) continue;
            var followed = edit.Kind switch
            {
                MailboxChangeKind.Expunged => builder.Remove(edit.Uid) || true,
                _ when edit.Flags is null => false,
                MailboxChangeKind.Added when edit.Uid > builder.MaxUid =>
                    Append(builder, edit.Uid, edit.MessageId, FlagBits.Split(edit.Flags, out var keywords), keywords),
                MailboxChangeKind.FlagsChanged => builder.SetFlags(edit.Uid, FlagBits.Split(edit.Flags, out var keywords), keywords),
                _ => false,
            };
            // A change the map cannot follow (flags not given, a UID out of order, a message it lacks): the map is dropped
            // and the next reader loads it again, rather than anyone reading a wrong one.
            if (!followed) builders[edit.FolderId] = null;
        }
        foreach (var (folderId, builder) in builders)
        {
            if (builder is null) _maps.Remove(folderId);
            else _maps[folderId] = builder.ToMap();
        }

        static bool Append(FolderMapBuilder builder, long uid, long messageId, byte bits, string[]? keywords)
        {
            builder.Append(uid, messageId, bits, keywords);
            return true;
        }
    }

    /// <summary>The folder's map, loaded from the database the first time (one read of UID, id and flags per message).</summary>
    private async Task<FolderMap> MapAsync(int folderId)
    {
        if (_maps.TryGetValue(folderId, out var map)) return map;
        if (!_mapLoads.TryGetValue(folderId, out var load))
        {
            load = store.LoadMapAsync(AccountId, folderId);
            _mapLoads[folderId] = load;
        }
        try
        {
            map = await load;
        }
        finally
        {
            _mapLoads.Remove(folderId);
        }
        // Read-only calls interleave only with each other, so no write has happened since the load began.
        if (_folders.ContainsKey(folderId)) _maps[folderId] = map;
        return map;
    }

    /// <summary>
    /// Removes message rows in one write: a MODSEQ and an Expunged change-log row each (one statement for all), the
    /// counters of their folders and of the mailbox, and the rows themselves (one statement).
    /// </summary>
    private async Task ExpungeRowsAsync(IReadOnlyList<ExpungeRow> rows)
    {
        if (rows.Count == 0) return;
        var write = NewWrite();
        var modseqs = new long[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            modseqs[i] = write.NextModseq();
            var folder = write.Folder(row.FolderId);
            write.SetFolder(folder with
            {
                HighestModseq = modseqs[i],
                MessageCount = folder.MessageCount - 1,
                UnseenCount = folder.UnseenCount - (row.Seen ? 0 : 1),
                TotalSize = folder.TotalSize - row.Size,
            });
        }
        write.Head = write.Head with
        {
            QuotaUsed = write.Head.QuotaUsed - rows.Sum(r => r.Size),
            MessageCount = write.Head.MessageCount - rows.Count,
        };
        var ids = rows.Select(r => r.MessageId).ToArray();
        write.Add("DELETE FROM mailbox_messages WHERE account_id = @a AND message_id = ANY(@ids)", ("ids", ids));
        write.Expunged(modseqs, rows.Select(r => r.FolderId).ToArray(), ids, rows.Select(r => r.Uid).ToArray());
        await CommitAsync(write);
    }

    /// <summary>
    /// Runs a store call; if it fails for any reason but a refusal, the outcome of the transaction may be
    /// unknown, so this activation gives up its in-memory counters and the next call reloads them.
    /// </summary>
    private async Task<T> Guarded<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is not MailException { Code: not MailErrorCode.Fenced })
        {
            DeactivateOnIdle();
            throw;
        }
    }

    private Task Guarded(Func<Task> call) => Guarded(async () =>
    {
        await call();
        return true;
    });

    private MailboxHead RequireHead() =>
        _head ?? throw new MailException(MailErrorCode.NotFound, $"Mailbox {AccountId} does not exist.");

    private async Task<MessageRow> RequireMessageAsync(long messageId) =>
        await store.GetMessageAsync(AccountId, messageId, FolderNameOf)
        ?? throw new MailException(MailErrorCode.NotFound, $"Message {messageId} does not exist.");

    private FolderHead FolderById(int folderId) =>
        _folders.TryGetValue(folderId, out var folder) ? folder : throw new MailException(MailErrorCode.NotFound, $"Folder {folderId} does not exist.");

    private static void CheckBatch(int count)
    {
        if (count > IMailboxGrain.MaxSlotBatch) throw new ArgumentOutOfRangeException(nameof(count), $"At most {IMailboxGrain.MaxSlotBatch} messages per call.");
    }

    private FolderHead? TryFindFolder(string canonical) => _folders.Values.FirstOrDefault(f => f.Name == canonical);

    private FolderHead FindFolder(string name) =>
        TryFindFolder(FolderName.Canonical(name)) ?? throw new MailException(MailErrorCode.NotFound, $"Folder {name} does not exist.");

    private string FolderNameOf(int folderId) => _folders.TryGetValue(folderId, out var f) ? f.Name : "";

    private static void CheckUserFolder(FolderHead folder)
    {
        // The folders every mailbox is created with stay; one the user created with a special use (RFC 6154 §3) is the user's.
        if (folder.Name == SpecialFolders.Inbox || SpecialFolders.All.Contains((folder.Name, folder.SpecialUse)))
        {
            throw new MailException(MailErrorCode.Forbidden, $"{folder.Name} is a special folder and cannot be deleted or renamed.");
        }
    }

    /// <summary>Takes a message out of its folder within a write: counters, a MODSEQ and an Expunged change-log row.</summary>
    private static void LeaveFolder(MailboxWrite write, MessageRow row, bool seen)
    {
        var modseq = write.NextModseq();
        var source = write.Folder(row.FolderId);
        write.SetFolder(source with
        {
            HighestModseq = modseq,
            MessageCount = source.MessageCount - 1,
            UnseenCount = source.UnseenCount - (seen ? 0 : 1),
            TotalSize = source.TotalSize - row.Record.Size,
        });
        write.Change(MailboxChangeKind.Expunged, source.FolderId, modseq, row.Record.MessageId, row.Record.Uid);
    }

    /// <summary>Puts message <paramref name="messageId"/> into a folder within a write: next UID, counters, a MODSEQ and an Added row.</summary>
    private static (long Uid, long Modseq) EnterFolder(MailboxWrite write, int folderId, long messageId, long size, IReadOnlyList<string> flags)
    {
        var seen = flags.Contains(MessageFlags.Seen);
        var modseq = write.NextModseq();
        var destination = write.Folder(folderId);
        var uid = destination.UidNext;
        write.SetFolder(destination with
        {
            UidNext = uid + 1,
            HighestModseq = modseq,
            MessageCount = destination.MessageCount + 1,
            UnseenCount = destination.UnseenCount + (seen ? 0 : 1),
            TotalSize = destination.TotalSize + size,
        });
        write.Change(MailboxChangeKind.Added, folderId, modseq, messageId, uid, flags);
        return (uid, modseq);
    }

    // A copy of a message row under a new id, folder, UID and MODSEQ: same content and header cache.
    private static readonly string CopyRowSql =
        $"""
        INSERT INTO mailbox_messages ({MessageRow.Columns}, header_cache, thread_subject, participants, account_id)
        SELECT @copy, @f, @uid, @m, flags, labels, thread_id, blob_tenant, blob_name, size, internal_date, sent_date, from_addr,
               to_addrs, cc_addrs, subject, message_id_header, refs, preview, has_attachments, header_cache, thread_subject, participants,
               account_id
        FROM mailbox_messages WHERE account_id = @a AND message_id = @id
        """;

    private static void CheckQuota(MailboxHead head, long size)
    {
        if (head.QuotaUsed + size > head.QuotaLimit)
        {
            throw new MailException(MailErrorCode.QuotaExceeded,
                $"Mailbox is over quota: {head.QuotaUsed} of {head.QuotaLimit} bytes used, the message needs {size} more.");
        }
    }
}
