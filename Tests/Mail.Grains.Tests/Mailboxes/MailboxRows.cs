using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Tests.Infrastructure;
using Npgsql;

namespace Mail.Grains.Tests.Mailboxes;

/// <summary>Reads a mailbox's rows straight from PostgreSQL, so tests check what is stored and not only what the grain says.</summary>
public sealed class MailboxRows(MailClusterFixture fixture)
{
    /// <summary>The per-account tables a mailbox writes.</summary>
    public static readonly string[] Tables = ["mailboxes", "mailbox_folders", "mailbox_messages", "mailbox_changes", "mailbox_deliveries", "mailbox_threads"];

    /// <summary>Rows of an account in one of <see cref="Tables"/>.</summary>
    public async Task<long> CountAsync(string table, string accountId)
    {
        if (!Tables.Contains(table)) throw new ArgumentException($"Unknown table {table}.", nameof(table));
        return await ScalarAsync<long>($"SELECT count(*) FROM {table} WHERE account_id = @a", ("a", accountId));
    }

    /// <summary>Row counts of every table in <see cref="Tables"/>, for a before/after comparison.</summary>
    public async Task<Dictionary<string, long>> CountAllAsync(string accountId)
    {
        var counts = new Dictionary<string, long>();
        foreach (var table in Tables) counts[table] = await CountAsync(table, accountId);
        return counts;
    }

    /// <summary>The mailbox row's counters.</summary>
    public async Task<(long Epoch, long HighestModseq, long QuotaUsed, long MessageCount)> MailboxAsync(string accountId)
    {
        await using var connection = await fixture.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT epoch, highest_modseq, quota_used, message_count FROM mailboxes WHERE account_id = @a", connection);
        command.Parameters.AddWithValue("a", accountId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"mailbox {accountId} has no row");
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    /// <summary>The change log, oldest first.</summary>
    public async Task<List<MailboxChange>> ChangesAsync(string accountId)
    {
        await using var connection = await fixture.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT modseq, kind, folder_id, message_id, uid FROM mailbox_changes WHERE account_id = @a ORDER BY modseq", connection);
        command.Parameters.AddWithValue("a", accountId);
        await using var reader = await command.ExecuteReaderAsync();
        var changes = new List<MailboxChange>();
        while (await reader.ReadAsync())
        {
            changes.Add(new MailboxChange(reader.GetInt64(0), (MailboxChangeKind)reader.GetInt16(1), reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetInt64(4)));
        }
        return changes;
    }

    /// <summary>A folder row by name, or null.</summary>
    public async Task<FolderInfo?> FolderAsync(string accountId, string name)
    {
        await using var connection = await fixture.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT folder_id, name, special_use, uid_validity, uid_next, highest_modseq, message_count, unseen_count, total_size, subscribed
            FROM mailbox_folders WHERE account_id = @a AND name = @n
            """, connection);
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("n", name);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return null;
        return new FolderInfo(reader.GetInt32(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt64(3),
            reader.GetInt64(4), reader.GetInt64(5), reader.GetInt32(6), reader.GetInt32(7), reader.GetInt64(8), reader.GetBoolean(9));
    }

    /// <summary>The folder names of a mailbox, sorted.</summary>
    public async Task<List<string>> FolderNamesAsync(string accountId)
    {
        await using var connection = await fixture.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT name FROM mailbox_folders WHERE account_id = @a ORDER BY name", connection);
        command.Parameters.AddWithValue("a", accountId);
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        return names;
    }

    /// <summary>One message row's folder, uid, modseq, flags, labels, thread and blob; null if there is no such row.</summary>
    public async Task<StoredMessage?> MessageAsync(string accountId, long messageId)
    {
        var rows = await MessagesAsync(accountId, "message_id = @id", ("id", messageId));
        return rows.SingleOrDefault();
    }

    /// <summary>Every message row of a mailbox, by message id.</summary>
    public Task<List<StoredMessage>> MessagesAsync(string accountId) => MessagesAsync(accountId, "true");

    /// <summary>Runs a scalar query.</summary>
    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await fixture.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        var result = await command.ExecuteScalarAsync();
        return result is DBNull or null ? default! : (T)result;
    }

    private async Task<List<StoredMessage>> MessagesAsync(string accountId, string where, params (string Name, object Value)[] parameters)
    {
        await using var connection = await fixture.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"""
            SELECT message_id, folder_id, uid, modseq, flags, labels, thread_id, blob_tenant, blob_name, size, preview, has_attachments
            FROM mailbox_messages WHERE account_id = @a AND {where} ORDER BY message_id
            """, connection);
        command.Parameters.AddWithValue("a", accountId);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<StoredMessage>();
        while (await reader.ReadAsync())
        {
            rows.Add(new StoredMessage(reader.GetInt64(0), reader.GetInt32(1), reader.GetInt64(2), reader.GetInt64(3),
                reader.GetFieldValue<string[]>(4), reader.GetFieldValue<string[]>(5), reader.GetInt64(6), reader.GetString(7),
                reader.GetString(8), reader.GetInt64(9), reader.GetString(10), reader.GetBoolean(11)));
        }
        return rows;
    }
}

/// <summary>A mailbox_messages row as stored.</summary>
public sealed record StoredMessage(
    long MessageId, int FolderId, long Uid, long Modseq, string[] Flags, string[] Labels, long ThreadId,
    string BlobTenant, string BlobName, long Size, string Preview, bool HasAttachments);
