using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Mailboxes;
using Npgsql;

namespace Mail.Bench.Memory;

/// <summary>Empty mailboxes written straight into SQL, the rows MailboxStore.CreateAsync makes: a mailbox and its special folders.</summary>
public static class SyntheticMailboxes
{
    /// <summary>Tenant of the synthetic mailboxes; nothing else refers to it.</summary>
    public const string Tenant = "bench-memory";

    /// <summary>Fresh account ids, never used before.</summary>
    public static string[] NewIds(int count) => Enumerable.Range(0, count).Select(_ => Guid.NewGuid().ToString("N")).ToArray();

    /// <summary>Inserts the mailboxes of <paramref name="accountIds"/> in one transaction.</summary>
    public static async Task InsertAsync(NpgsqlDataSource dataSource, IReadOnlyList<string> accountIds, long quotaBytes)
    {
        var createdAt = DateTimeOffset.UtcNow;
        var folders = SpecialFolders.All;
        await using var batch = dataSource.CreateBatch();
        var mailboxes = new NpgsqlBatchCommand(
            """
            INSERT INTO mailboxes (account_id, tenant_id, quota_limit, next_folder_id, created_at)
            SELECT id, @t, @q, @nf, @c FROM unnest(@ids) AS id
            """);
        mailboxes.Parameters.AddWithValue("ids", accountIds.ToArray());
        mailboxes.Parameters.AddWithValue("t", Tenant);
        mailboxes.Parameters.AddWithValue("q", quotaBytes);
        mailboxes.Parameters.AddWithValue("nf", folders.Count + 1);
        mailboxes.Parameters.AddWithValue("c", createdAt);
        batch.BatchCommands.Add(mailboxes);
        var folderRows = new NpgsqlBatchCommand(
            """
            INSERT INTO mailbox_folders (account_id, folder_id, name, special_use, uid_validity)
            SELECT id, f.folder_id, f.name, f.special_use, f.uid_validity
            FROM unnest(@ids) AS id
            CROSS JOIN unnest(@fids, @names, @uses, @validities) AS f(folder_id, name, special_use, uid_validity)
            """);
        folderRows.Parameters.AddWithValue("ids", accountIds.ToArray());
        folderRows.Parameters.AddWithValue("fids", Enumerable.Range(1, folders.Count).ToArray());
        folderRows.Parameters.AddWithValue("names", folders.Select(f => f.Name).ToArray());
        folderRows.Parameters.AddWithValue("uses", folders.Select(f => f.SpecialUse).ToArray());
        folderRows.Parameters.AddWithValue("validities", Enumerable.Range(1, folders.Count).Select(id => MailboxStore.UidValidity(createdAt, id)).ToArray());
        batch.BatchCommands.Add(folderRows);
        await batch.ExecuteNonQueryAsync();
    }
}
