using Mail.Grains.Interfaces.Mailboxes;
using Npgsql;

namespace Mail.Grains.Search.Indexing;

/// <summary>Reads mailbox rows for the indexer (read only: the mailbox grain stays their one writer).</summary>
public sealed class SearchRowStore(NpgsqlDataSource dataSource)
{
    private const string Select = """
        SELECT m.message_id, f.name, m.flags, m.labels, m.blob_tenant, m.blob_name, m.size, m.internal_date, m.from_addr, m.to_addrs,
               m.cc_addrs, m.subject, m.message_id_header, m.has_attachments
        FROM mailbox_messages m JOIN mailbox_folders f ON f.account_id = m.account_id AND f.folder_id = m.folder_id
        WHERE m.account_id = @a
        """;

    /// <summary>The rows of <paramref name="messageIds"/> that exist now.</summary>
    public async Task<IReadOnlyList<IndexRow>> LoadAsync(string accountId, IReadOnlyCollection<long> messageIds, CancellationToken ct)
    {
        if (messageIds.Count == 0) return [];
        await using var command = dataSource.CreateCommand(Select + " AND m.message_id = ANY(@ids)");
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("ids", messageIds.ToArray());
        return await ReadAsync(command, ct);
    }

    /// <summary>The next <paramref name="limit"/> rows by message id after <paramref name="afterMessageId"/> (a rebuild walks them all).</summary>
    public async Task<IReadOnlyList<IndexRow>> PageAsync(string accountId, long afterMessageId, int limit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(Select + " AND m.message_id > @after ORDER BY m.message_id LIMIT @limit");
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("after", afterMessageId);
        command.Parameters.AddWithValue("limit", limit);
        return await ReadAsync(command, ct);
    }

    private static async Task<IReadOnlyList<IndexRow>> ReadAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<IndexRow>();
        while (await reader.ReadAsync(ct))
        {
            var size = reader.GetInt64(6);
            rows.Add(new IndexRow(
                reader.GetInt64(0),
                new StoredBlob(reader.GetString(4), reader.GetString(5), size),
                reader.GetFieldValue<DateTimeOffset>(7),
                reader.GetString(8),
                reader.GetFieldValue<string[]>(9),
                reader.GetFieldValue<string[]>(10),
                reader.GetString(11),
                new SearchRowAttributes(reader.GetString(1), reader.GetFieldValue<string[]>(2), reader.GetFieldValue<string[]>(3), size,
                    reader.GetBoolean(13), reader.IsDBNull(12) ? null : reader.GetString(12))));
        }
        return rows;
    }
}
