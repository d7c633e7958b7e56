using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Mail.Grains.Mailboxes;

/// <summary>The SQL of mailbox rows. Only <see cref="MailboxGrain"/> calls it, so each mailbox has one writer.</summary>
public sealed class MailboxStore(NpgsqlDataSource dataSource, GroupCommit groupCommit, IOptions<ThreadOptions> threads)
{
    private readonly TimeSpan _threadWindow = TimeSpan.FromDays(Math.Clamp(threads.Value.SubjectWindowDays, 0, 365));

    /// <summary>SQLSTATE raised by mailbox_fence when the writer's epoch is stale.</summary>
    public const string FencedSqlState = "ML001";

    /// <summary>The SQLSTATE of mailbox_require: a delivery in a batch was filed before, so the batch committed nothing.</summary>
    public const string DuplicateInBatchSqlState = "ML002";

    /// <summary>Takes a new fencing epoch and loads counters and folders; null if the mailbox does not exist.</summary>
    public async Task<(MailboxHead Head, Dictionary<int, FolderHead> Folders, HashSet<string> Subscriptions)?> ActivateAsync(string accountId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        MailboxHead head;
        await using (var command = new NpgsqlCommand(
            """
            UPDATE mailboxes SET epoch = epoch + 1 WHERE account_id = @a
            RETURNING tenant_id, epoch, highest_modseq, next_message_id, next_folder_id, quota_limit, quota_used, message_count, created_at
            """, connection))
        {
            command.Parameters.AddWithValue("a", accountId);
            await using var reader = await command.ExecuteReaderAsync();
            if (!await reader.ReadAsync()) return null;
            head = new MailboxHead(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3),
                reader.GetInt32(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetFieldValue<DateTimeOffset>(8));
        }
        var folders = new Dictionary<int, FolderHead>();
        await using (var command = new NpgsqlCommand(
            """
            SELECT folder_id, name, special_use, uid_validity, uid_next, highest_modseq, message_count, unseen_count, total_size, subscribed,
                   first_recent_uid
            FROM mailbox_folders WHERE account_id = @a
            """, connection))
        {
            command.Parameters.AddWithValue("a", accountId);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var folder = new FolderHead(reader.GetInt32(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt32(6), reader.GetInt32(7),
                    reader.GetInt64(8), reader.GetBoolean(9)) { RecentUid = reader.GetInt64(10) };
                folders.Add(folder.FolderId, folder);
            }
        }
        var subscriptions = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("SELECT name FROM mailbox_subscriptions WHERE account_id = @a", connection))
        {
            command.Parameters.AddWithValue("a", accountId);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) subscriptions.Add(reader.GetString(0));
        }
        return (head, folders, subscriptions);
    }

    /// <summary>Creates the mailbox row with its special folders, unless it exists.</summary>
    public async Task CreateAsync(string accountId, string tenantId, long quotaLimit)
    {
        var createdAt = DateTimeOffset.UtcNow;
        await using var batch = dataSource.CreateBatch();
        var insert = new NpgsqlBatchCommand(
            """
            INSERT INTO mailboxes (account_id, tenant_id, quota_limit, next_folder_id, created_at) VALUES (@a, @t, @q, @nf, @c)
            ON CONFLICT (account_id) DO NOTHING
            """);
        insert.Parameters.AddWithValue("a", accountId);
        insert.Parameters.AddWithValue("t", tenantId);
        insert.Parameters.AddWithValue("q", quotaLimit);
        insert.Parameters.AddWithValue("nf", SpecialFolders.All.Count + 1);
        insert.Parameters.AddWithValue("c", createdAt);
        batch.BatchCommands.Add(insert);
        for (var i = 0; i < SpecialFolders.All.Count; i++)
        {
            var (name, specialUse) = SpecialFolders.All[i];
            var folder = new NpgsqlBatchCommand(
                """
                INSERT INTO mailbox_folders (account_id, folder_id, name, special_use, uid_validity) VALUES (@a, @f, @n, @s, @v)
                ON CONFLICT DO NOTHING
                """);
            folder.Parameters.AddWithValue("a", accountId);
            folder.Parameters.AddWithValue("f", i + 1);
            folder.Parameters.AddWithValue("n", name);
            folder.Parameters.AddWithValue("s", (object?)specialUse ?? DBNull.Value);
            folder.Parameters.AddWithValue("v", UidValidity(createdAt, i + 1));
            batch.BatchCommands.Add(folder);
        }
        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// UIDVALIDITY of a folder (RFC 9051 §2.3.1.1): the mailbox's creation second plus the folder id, which is
    /// never reused, so a folder deleted and created again under the same name gets a new value.
    /// </summary>
    public static long UidValidity(DateTimeOffset mailboxCreatedAt, int folderId) =>
        (mailboxCreatedAt.ToUnixTimeSeconds() + folderId) & 0xFFFF_FFFF;

    /// <summary>
    /// Runs a write atomically in one implicit transaction, which it may share with other mailboxes' writes
    /// (<see cref="GroupCommit"/>): the fencing check first, then the write's commands, then the changed folder rows.
    /// </summary>
    public async Task CommitAsync(MailboxWrite write, long epoch)
    {
        var commands = new List<NpgsqlBatchCommand>(write.Commands.Count + write.ChangedFolders.Count + 1);
        var fence = new NpgsqlBatchCommand("SELECT mailbox_fence(@a, @e, @m, @nm, @nf, @qu, @mc)");
        AddHead(fence.Parameters, write, epoch);
        commands.Add(fence);
        commands.AddRange(write.Commands);
        foreach (var (folderId, folder) in write.ChangedFolders)
        {
            commands.Add(folder is null ? DeleteFolderCommand(write.AccountId, folderId) : UpsertFolderCommand(write.AccountId, folder));
        }
        await Fenced(() => groupCommit.ExecuteAsync(commands));
    }

    /// <summary>
    /// Files a delivery with mailbox_deliver: one statement does the fencing check, the delivery id, the
    /// message row, the thread, the change-log row and the folder counters. False when the id was filed before.
    /// </summary>
    public async Task<bool> DeliverAsync(MailboxWrite write, long epoch, DeliveredRow row) =>
        await Fenced(async () => (bool)(await groupCommit.ExecuteAsync([DeliverCommand(write, write.Head, epoch, row)], resultIndex: 0))!);

    /// <summary>
    /// Files a delivery and runs the rest of <paramref name="write"/> (IMAP REPLACE's expunge, RFC 8508 §3.4) in one
    /// transaction: mailbox_deliver with the counters as of the delivery (<paramref name="delivered"/>, whose MODSEQ the new
    /// message takes), then the fencing check with the final counters, the write's commands and its folder rows.
    /// </summary>
    public async Task<bool> DeliverAndCommitAsync(MailboxWrite write, MailboxHead delivered, long epoch, DeliveredRow row)
    {
        var commands = new List<NpgsqlBatchCommand>(write.Commands.Count + write.ChangedFolders.Count + 2) { DeliverCommand(write, delivered, epoch, row) };
        var fence = new NpgsqlBatchCommand("SELECT mailbox_fence(@a, @e, @m, @nm, @nf, @qu, @mc)");
        AddHead(fence.Parameters, write.AccountId, write.Head, epoch);
        commands.Add(fence);
        commands.AddRange(write.Commands);
        foreach (var (folderId, folder) in write.ChangedFolders)
        {
            commands.Add(folder is null ? DeleteFolderCommand(write.AccountId, folderId) : UpsertFolderCommand(write.AccountId, folder));
        }
        return await Fenced(async () => (bool)(await groupCommit.ExecuteAsync(commands, resultIndex: 0))!);
    }

    /// <summary>
    /// Files deliveries staged on one another in one transaction, each with the counters as of itself; false, with nothing
    /// committed, when any of them was filed before (the caller then files them one by one).
    /// </summary>
    public async Task<bool> DeliverBatchAsync(MailboxWrite write, long epoch, IReadOnlyList<DeliveredRow> rows)
    {
        var commands = rows.Select(row => DeliverCommand(write, row.Head!, epoch, row, strict: true)).ToList();
        try
        {
            await Fenced(() => groupCommit.ExecuteAsync(commands));
            return true;
        }
        catch (PostgresException e) when (e.SqlState == DuplicateInBatchSqlState)
        {
            return false;
        }
    }

    private NpgsqlBatchCommand DeliverCommand(MailboxWrite write, MailboxHead head, long epoch, DeliveredRow row, bool strict = false)
    {
        var folder = write.ChangedFolders[row.FolderId]!;
        var summary = row.Delivery.Summary;
        var command = new NpgsqlBatchCommand(
            $"""
            SELECT {(strict ? "mailbox_require(" : "(")}mailbox_deliver(@a, @e, @m, @nm, @nf, @qu, @mc, @d, @id, @f, @uid, @flags, @labels, @bt, @bn, @size,
                @idate, @sdate, @from, @to, @cc, @subject, @mid, @refs, @preview, @att, @hc, @fun, @fmc, @fuc, @fts, @ts, @tp, @ts2, @tw)) AS {GroupCommit.ResultColumn}
            """);
        var p = command.Parameters;
        AddHead(p, write.AccountId, head, epoch);
        p.AddWithValue("d", row.Delivery.DeliveryId);
        p.AddWithValue("id", row.MessageId);
        p.AddWithValue("f", row.FolderId);
        p.AddWithValue("uid", row.Uid);
        p.AddWithValue("flags", row.Flags);
        p.AddWithValue("labels", row.Labels);
        p.AddWithValue("bt", row.Delivery.Blob.TenantId);
        p.AddWithValue("bn", row.Delivery.Blob.Name);
        p.AddWithValue("size", row.Delivery.Blob.Length);
        p.AddWithValue("idate", row.Delivery.InternalDate.ToUniversalTime());
        p.AddWithValue("sdate", NpgsqlTypes.NpgsqlDbType.TimestampTz, (object?)summary.Date?.ToUniversalTime() ?? DBNull.Value);
        p.AddWithValue("from", summary.From);
        p.AddWithValue("to", summary.To.ToArray());
        p.AddWithValue("cc", summary.Cc.ToArray());
        p.AddWithValue("subject", summary.Subject);
        p.AddWithValue("mid", NpgsqlTypes.NpgsqlDbType.Text, (object?)summary.MessageIdHeader ?? DBNull.Value);
        p.AddWithValue("refs", summary.References.ToArray());
        p.AddWithValue("preview", summary.Preview);
        p.AddWithValue("att", summary.HasAttachments);
        p.AddWithValue("hc", NpgsqlTypes.NpgsqlDbType.Bytea, (object?)summary.CachedHeader ?? DBNull.Value);
        p.AddWithValue("fun", folder.UidNext);
        p.AddWithValue("fmc", folder.MessageCount);
        p.AddWithValue("fuc", folder.UnseenCount);
        p.AddWithValue("fts", folder.TotalSize);
        p.AddWithValue("ts", NpgsqlTypes.NpgsqlDbType.Text, _threadWindow > TimeSpan.Zero && ThreadKey.Subject(summary) is { } key ? key : DBNull.Value);
        p.AddWithValue("tp", ThreadKey.Participants(summary));
        p.AddWithValue("ts2", NpgsqlTypes.NpgsqlDbType.Text, (object?)ThreadKey.Sender(summary) ?? DBNull.Value);
        p.AddWithValue("tw", _threadWindow);
        return command;
    }

    /// <summary>Sets the quota limit under the fencing epoch.</summary>
    public async Task SetQuotaLimitAsync(string accountId, long epoch, long quotaLimit)
    {
        await using var command = dataSource.CreateCommand("UPDATE mailboxes SET quota_limit = @q WHERE account_id = @a AND epoch = @e");
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("e", epoch);
        command.Parameters.AddWithValue("q", quotaLimit);
        if (await command.ExecuteNonQueryAsync() != 1)
        {
            throw new MailException(MailErrorCode.Fenced, "This mailbox was taken over by another activation; the quota was not changed.");
        }
    }

    /// <summary>
    /// Deletes every row of the mailbox (the change horizon goes with the mailbox row; the blobs are released by the
    /// delete's trigger), in one transaction that first locks the mailbox row and checks <paramref name="epoch"/>: a stale
    /// activation purges nothing (fenced), and no write of the current one can interleave.
    /// </summary>
    public async Task PurgeAsync(string accountId, long epoch)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var fence = new NpgsqlCommand("SELECT epoch FROM mailboxes WHERE account_id = @a FOR UPDATE", connection, transaction))
        {
            fence.Parameters.AddWithValue("a", accountId);
            if (await fence.ExecuteScalarAsync() is long current && current != epoch)
            {
                throw new MailException(MailErrorCode.Fenced, "This mailbox was taken over by another activation; nothing was purged.");
            }
        }
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var table in new[] { "mailbox_messages", "mailbox_changes", "mailbox_deliveries", "mailbox_threads", "mailboxes" })
        {
            var command = new NpgsqlBatchCommand($"DELETE FROM {table} WHERE account_id = @a");
            command.Parameters.AddWithValue("a", accountId);
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    /// <summary>The message id a delivery id was filed as, if any.</summary>
    public async Task<long?> FindDeliveryAsync(string accountId, string deliveryId)
    {
        await using var command = dataSource.CreateCommand("SELECT message_id FROM mailbox_deliveries WHERE account_id = @a AND delivery_id = @d");
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("d", deliveryId);
        return await command.ExecuteScalarAsync() as long?;
    }

    /// <summary>One message row, or null.</summary>
    public async Task<MessageRow?> GetMessageAsync(string accountId, long messageId, Func<int, string> folderName)
    {
        await using var command = dataSource.CreateCommand($"SELECT {MessageRow.Columns} FROM mailbox_messages WHERE account_id = @a AND message_id = @id");
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("id", messageId);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? MessageRow.Read(reader, folderName) : null;
    }

    /// <summary>The rows of <paramref name="messageIds"/> that exist, in no particular order.</summary>
    public async Task<IReadOnlyList<MessageRow>> GetMessagesAsync(string accountId, long[] messageIds, Func<int, string> folderName)
    {
        await using var command = dataSource.CreateCommand($"SELECT {MessageRow.Columns} FROM mailbox_messages WHERE account_id = @a AND message_id = ANY(@ids)");
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("ids", messageIds);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<MessageRow>(messageIds.Length);
        while (await reader.ReadAsync()) rows.Add(MessageRow.Read(reader, folderName));
        return rows;
    }

    /// <summary>Where the content of each of <paramref name="messageIds"/> is, with its header cache; missing ids are left out.</summary>
    public async Task<IReadOnlyList<MessageContent>> GetContentsAsync(string accountId, long[] messageIds)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT message_id, blob_tenant, blob_name, size, header_cache FROM mailbox_messages WHERE account_id = @a AND message_id = ANY(@ids)");
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("ids", messageIds);
        await using var reader = await command.ExecuteReaderAsync();
        var contents = new List<MessageContent>(messageIds.Length);
        while (await reader.ReadAsync())
        {
            contents.Add(new MessageContent(reader.GetInt64(0), new StoredBlob(reader.GetString(1), reader.GetString(2), reader.GetInt64(3)),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<byte[]>(4)));
        }
        return contents;
    }

    /// <summary>The messages of a thread, oldest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<MessageRecord>> GetThreadAsync(string accountId, long threadId, int limit, Func<int, string> folderName)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {MessageRow.Columns} FROM mailbox_messages WHERE account_id = @a AND thread_id = @t
            ORDER BY internal_date, message_id LIMIT @l
            """);
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("t", threadId);
        command.Parameters.AddWithValue("l", limit);
        await using var reader = await command.ExecuteReaderAsync();
        var items = new List<MessageRecord>();
        while (await reader.ReadAsync()) items.Add(MessageRow.Read(reader, folderName).Record);
        return items;
    }

    /// <summary>Every label of the mailbox with its message and unread counts, by name.</summary>
    public async Task<IReadOnlyList<LabelCount>> ListLabelsAsync(string accountId)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT l, count(*), count(*) FILTER (WHERE NOT '\Seen' = ANY(m.flags))
            FROM mailbox_messages m, unnest(m.labels) AS l WHERE m.account_id = @a
            GROUP BY l ORDER BY l
            """);
        command.Parameters.AddWithValue("a", accountId);
        await using var reader = await command.ExecuteReaderAsync();
        var labels = new List<LabelCount>();
        while (await reader.ReadAsync()) labels.Add(new LabelCount(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        return labels;
    }

    /// <summary>A page of a folder, newest first; ties broken by message id so paging is stable.</summary>
    public async Task<IReadOnlyList<MessageRecord>> ListMessagesAsync(string accountId, int folderId, int offset, int limit, Func<int, string> folderName)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {MessageRow.Columns} FROM mailbox_messages WHERE account_id = @a AND folder_id = @f
            ORDER BY internal_date DESC, message_id DESC OFFSET @o LIMIT @l
            """);
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("f", folderId);
        command.Parameters.AddWithValue("o", offset);
        command.Parameters.AddWithValue("l", limit);
        await using var reader = await command.ExecuteReaderAsync();
        var items = new List<MessageRecord>();
        while (await reader.ReadAsync()) items.Add(MessageRow.Read(reader, folderName).Record);
        return items;
    }

    /// <summary>
    /// A folder's map: UID, message id, system flag bits and keywords of every message by ascending UID. The bits are
    /// worked out by PostgreSQL (bracketed: its | and &lt;&lt; bind alike, left to right), so only messages with keywords
    /// bring an array over the wire.
    /// </summary>
    public async Task<FolderMap> LoadMapAsync(string accountId, int folderId)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT uid, message_id,
                   (@seen = ANY(flags))::int | ((@answered = ANY(flags))::int << 1) | ((@flagged = ANY(flags))::int << 2)
                   | ((@deleted = ANY(flags))::int << 3) | ((@draft = ANY(flags))::int << 4),
                   CASE WHEN flags <@ @system THEN NULL ELSE ARRAY(SELECT f FROM unnest(flags) f WHERE NOT f = ANY(@system)) END
            FROM mailbox_messages WHERE account_id = @a AND folder_id = @f ORDER BY uid
            """);
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("f", folderId);
        command.Parameters.AddWithValue("seen", MessageFlags.Seen);
        command.Parameters.AddWithValue("answered", MessageFlags.Answered);
        command.Parameters.AddWithValue("flagged", MessageFlags.Flagged);
        command.Parameters.AddWithValue("deleted", MessageFlags.Deleted);
        command.Parameters.AddWithValue("draft", MessageFlags.Draft);
        command.Parameters.AddWithValue("system", SystemFlags);
        await using var reader = await command.ExecuteReaderAsync();
        var builder = new FolderMapBuilder();
        while (await reader.ReadAsync())
        {
            builder.Append(reader.GetInt64(0), reader.GetInt64(1), (byte)reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetFieldValue<string[]>(3));
        }
        return builder.ToMap();
    }

    /// <summary>
    /// The slots of a folder's messages with these UIDs (ascending), in one query: a range scan of the UID index when the
    /// UIDs are dense (the usual page of a FETCH 1:*), else a lookup of each.
    /// </summary>
    public async Task<IReadOnlyList<MessageSlot>> GetSlotsAsync(string accountId, int folderId, long[] uids)
    {
        var dense = uids[^1] - uids[0] + 1 <= 2L * uids.Length;
        await using var command = dataSource.CreateCommand(dense
            ? $"SELECT {SlotColumns} FROM mailbox_messages WHERE account_id = @a AND folder_id = @f AND uid BETWEEN @lo AND @hi ORDER BY uid"
            : $"SELECT {SlotColumns} FROM mailbox_messages WHERE account_id = @a AND folder_id = @f AND uid = ANY(@uids) ORDER BY uid");
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("f", folderId);
        if (dense)
        {
            command.Parameters.AddWithValue("lo", uids[0]);
            command.Parameters.AddWithValue("hi", uids[^1]);
        }
        else
        {
            command.Parameters.AddWithValue("uids", uids);
        }
        var slots = await ReadSlotsAsync(command, uids.Length);
        // A range also holds UIDs the caller did not ask for; keep the asked ones (both lists ascend).
        if (!dense || slots.Count == uids.Length) return slots;
        var kept = new List<MessageSlot>(uids.Length);
        var k = 0;
        foreach (var slot in slots)
        {
            while (k < uids.Length && uids[k] < slot.Uid) k++;
            if (k < uids.Length && uids[k] == slot.Uid) kept.Add(slot);
        }
        return kept;
    }

    /// <summary>The slots of a folder's messages with MODSEQ above <paramref name="changedSince"/> and UID above <paramref name="afterUid"/>.</summary>
    public async Task<IReadOnlyList<MessageSlot>> GetSlotsChangedSinceAsync(string accountId, int folderId, long changedSince, long afterUid, int limit)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {SlotColumns} FROM mailbox_messages WHERE account_id = @a AND folder_id = @f AND uid > @u AND modseq > @m ORDER BY uid LIMIT @l");
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("f", folderId);
        command.Parameters.AddWithValue("u", afterUid);
        command.Parameters.AddWithValue("m", changedSince);
        command.Parameters.AddWithValue("l", limit);
        return await ReadSlotsAsync(command, limit);
    }

    /// <summary>What removing each of <paramref name="messageIds"/> that exists needs to know.</summary>
    public async Task<IReadOnlyList<ExpungeRow>> GetExpungeRowsAsync(string accountId, long[] messageIds)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {ExpungeColumns} FROM mailbox_messages WHERE account_id = @a AND message_id = ANY(@ids) ORDER BY folder_id, uid");
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("ids", messageIds);
        return await ReadExpungeRowsAsync(command);
    }

    /// <summary>What removing the messages of a folder with these UIDs (those that are there) needs to know, by ascending UID.</summary>
    public async Task<IReadOnlyList<ExpungeRow>> GetExpungeRowsAsync(string accountId, int folderId, long[] uids)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {ExpungeColumns} FROM mailbox_messages WHERE account_id = @a AND folder_id = @f AND uid = ANY(@uids) ORDER BY uid");
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("f", folderId);
        command.Parameters.AddWithValue("uids", uids);
        return await ReadExpungeRowsAsync(command);
    }

    /// <summary>
    /// The change log after a MODSEQ. Throws <see cref="MailErrorCode.HistoryPruned"/> when changes after
    /// <paramref name="afterModseq"/> may have been pruned: the horizon and the rows are read in one statement, so
    /// a concurrent prune can never leave a gap in what is returned.
    /// </summary>
    public async Task<IReadOnlyList<MailboxChange>> GetChangesAsync(string accountId, long afterModseq, int limit)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT h.pruned_through, c.modseq, c.kind, c.folder_id, c.message_id, c.uid
            FROM (SELECT COALESCE((SELECT pruned_through FROM mailbox_change_horizons WHERE account_id = @a), 0) AS pruned_through) h
            LEFT JOIN LATERAL (
                SELECT modseq, kind, folder_id, message_id, uid FROM mailbox_changes
                WHERE account_id = @a AND modseq > @m AND @m >= h.pruned_through ORDER BY modseq LIMIT @l) c ON true
            """);
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("m", afterModseq);
        command.Parameters.AddWithValue("l", limit);
        await using var reader = await command.ExecuteReaderAsync();
        var changes = new List<MailboxChange>();
        while (await reader.ReadAsync())
        {
            var prunedThrough = reader.GetInt64(0);
            if (afterModseq < prunedThrough)
            {
                throw new MailException(MailErrorCode.HistoryPruned,
                    $"Changes up to MODSEQ {prunedThrough} were pruned; changes after {afterModseq} cannot be given. Resynchronize in full.");
            }
            if (reader.IsDBNull(1)) break;
            changes.Add(new MailboxChange(reader.GetInt64(1), (MailboxChangeKind)reader.GetInt16(2), reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetInt64(4), reader.IsDBNull(5) ? null : reader.GetInt64(5)));
        }
        return changes;
    }

    // RFC 8514: a row filed before the save date was recorded (migration 0018) gives its internal date, the closest known.
    private const string SlotColumns = "message_id, uid, modseq, flags, size, internal_date, COALESCE(saved_at, internal_date), thread_id";
    private const string ExpungeColumns = "message_id, folder_id, uid, size, @seen = ANY(flags)";
    private static readonly string[] SystemFlags =
        [MessageFlags.Seen, MessageFlags.Answered, MessageFlags.Flagged, MessageFlags.Deleted, MessageFlags.Draft];

    private static async Task<IReadOnlyList<MessageSlot>> ReadSlotsAsync(NpgsqlCommand command, int capacity)
    {
        await using var reader = await command.ExecuteReaderAsync();
        var slots = new List<MessageSlot>(capacity);
        while (await reader.ReadAsync())
        {
            slots.Add(new MessageSlot(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetFieldValue<string[]>(3),
                reader.GetInt64(4), reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetInt64(7)));
        }
        return slots;
    }

    /// <summary>How many messages of a folder have a UID of at least <paramref name="uid"/> (STATUS RECENT).</summary>
    public async Task<int> CountFromUidAsync(string accountId, int folderId, long uid)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT count(*) FROM mailbox_messages WHERE account_id = @a AND folder_id = @f AND uid >= @u");
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("f", folderId);
        command.Parameters.AddWithValue("u", uid);
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>How many messages of a folder carry <paramref name="flag"/> (STATUS DELETED).</summary>
    public async Task<int> CountFlaggedAsync(string accountId, int folderId, string flag)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT count(*) FROM mailbox_messages WHERE account_id = @a AND folder_id = @f AND @flag = ANY(flags)");
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("f", folderId);
        command.Parameters.AddWithValue("flag", flag);
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<IReadOnlyList<ExpungeRow>> ReadExpungeRowsAsync(NpgsqlCommand command)
    {
        command.Parameters.AddWithValue("seen", MessageFlags.Seen);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<ExpungeRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new ExpungeRow(reader.GetInt64(0), reader.GetInt32(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetBoolean(4)));
        }
        return rows;
    }

    private static void AddHead(NpgsqlParameterCollection parameters, MailboxWrite write, long epoch) =>
        AddHead(parameters, write.AccountId, write.Head, epoch);

    private static void AddHead(NpgsqlParameterCollection parameters, string accountId, MailboxHead head, long epoch)
    {
        parameters.AddWithValue("a", accountId);
        parameters.AddWithValue("e", epoch);
        parameters.AddWithValue("m", head.HighestModseq);
        parameters.AddWithValue("nm", head.NextMessageId);
        parameters.AddWithValue("nf", head.NextFolderId);
        parameters.AddWithValue("qu", head.QuotaUsed);
        parameters.AddWithValue("mc", head.MessageCount);
    }

    private static async Task<T> Fenced<T>(Func<Task<T>> execute)
    {
        try
        {
            return await execute();
        }
        catch (PostgresException e) when (e.SqlState == FencedSqlState)
        {
            throw new MailException(MailErrorCode.Fenced, "This mailbox was taken over by another activation; the write was not applied.");
        }
    }

    private static NpgsqlBatchCommand UpsertFolderCommand(string accountId, FolderHead folder)
    {
        var command = new NpgsqlBatchCommand(
            """
            INSERT INTO mailbox_folders (account_id, folder_id, name, special_use, uid_validity, uid_next, highest_modseq,
                                         message_count, unseen_count, total_size, subscribed, first_recent_uid)
            VALUES (@a, @f, @n, @s, @v, @un, @m, @c, @u, @sz, @sub, @r)
            ON CONFLICT (account_id, folder_id) DO UPDATE SET name = excluded.name, uid_next = excluded.uid_next,
                highest_modseq = excluded.highest_modseq, message_count = excluded.message_count,
                unseen_count = excluded.unseen_count, total_size = excluded.total_size, subscribed = excluded.subscribed,
                first_recent_uid = excluded.first_recent_uid
            """);
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("f", folder.FolderId);
        command.Parameters.AddWithValue("n", folder.Name);
        command.Parameters.AddWithValue("s", (object?)folder.SpecialUse ?? DBNull.Value);
        command.Parameters.AddWithValue("v", folder.UidValidity);
        command.Parameters.AddWithValue("un", folder.UidNext);
        command.Parameters.AddWithValue("m", folder.HighestModseq);
        command.Parameters.AddWithValue("c", folder.MessageCount);
        command.Parameters.AddWithValue("u", folder.UnseenCount);
        command.Parameters.AddWithValue("sz", folder.TotalSize);
        command.Parameters.AddWithValue("sub", folder.Subscribed);
        command.Parameters.AddWithValue("r", folder.RecentUid);
        return command;
    }

    private static NpgsqlBatchCommand DeleteFolderCommand(string accountId, int folderId)
    {
        var command = new NpgsqlBatchCommand("DELETE FROM mailbox_folders WHERE account_id = @a AND folder_id = @f");
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("f", folderId);
        return command;
    }
}
