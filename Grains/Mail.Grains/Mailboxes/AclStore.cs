using Mail.Grains.Interfaces.Mailboxes;
using Npgsql;

namespace Mail.Grains.Mailboxes;

/// <summary>
/// The reads of mailbox_acl (RFC 4314 access control lists). Rows are written only by the owner's
/// <see cref="MailboxGrain"/>, inside its fenced writes (<see cref="MailboxWrite"/>).
/// </summary>
public sealed class AclStore(NpgsqlDataSource dataSource)
{
    /// <summary>Every ACL row of one mailbox, by folder.</summary>
    public async Task<Dictionary<int, List<AclRow>>> LoadAsync(string accountId)
    {
        await using var command = dataSource.CreateCommand("SELECT folder_id, identifier, grantee, rights FROM mailbox_acl WHERE account_id = @a");
        command.Parameters.AddWithValue("a", accountId);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<int, List<AclRow>>();
        while (await reader.ReadAsync())
        {
            var folderId = reader.GetInt32(0);
            if (!rows.TryGetValue(folderId, out var list)) rows[folderId] = list = [];
            list.Add(new AclRow(reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }
        return rows;
    }

    /// <summary>
    /// The folders of other mailboxes of <paramref name="tenantId"/> that grant <paramref name="accountId"/> the lookup
    /// right, with its rights there; read from committed rows, so a change shows once its owner's write has committed.
    /// </summary>
    public async Task<IReadOnlyList<SharedFolder>> ListSharedAsync(string tenantId, string accountId)
    {
        // Every entry of a folder that names the account or "anyone", negative ones included, so rights can be combined.
        await using var command = dataSource.CreateCommand(
            """
            SELECT a.account_id, d.address, f.name, a.identifier, a.rights
            FROM mailbox_acl a
            JOIN mailbox_folders f ON f.account_id = a.account_id AND f.folder_id = a.folder_id
            JOIN directory_accounts d ON d.account_id = a.account_id AND d.tenant_id = @t
            WHERE a.tenant_id = @t AND a.grantee IN (@me, @anyone) AND a.account_id <> @me
            ORDER BY d.address, f.name
            """);
        command.Parameters.AddWithValue("t", tenantId);
        command.Parameters.AddWithValue("me", accountId);
        command.Parameters.AddWithValue("anyone", AclRights.Anyone);
        await using var reader = await command.ExecuteReaderAsync();
        var folders = new List<(string Owner, string Address, string Folder, List<AclRow> Rows)>();
        while (await reader.ReadAsync())
        {
            var owner = reader.GetString(0);
            var folder = reader.GetString(2);
            if (folders.Count == 0 || folders[^1].Owner != owner || folders[^1].Folder != folder)
            {
                folders.Add((owner, reader.GetString(1), folder, []));
            }
            folders[^1].Rows.Add(new AclRow(reader.GetString(3), "", reader.GetString(4)));
        }
        return folders
            .Select(f => new SharedFolder(f.Owner, f.Address, f.Folder, AclRow.Effective(f.Rows)))
            .Where(f => AclRights.Has(f.Rights, 'l'))
            .ToList();
    }
}

/// <summary>One stored ACL entry: the identifier as set ("-" first when negative), what it resolved to, and its rights.</summary>
public sealed record AclRow(string Identifier, string Grantee, string Rights)
{
    /// <summary>Whether the entry holds negative rights (RFC 4314 §2).</summary>
    public bool Negative => Identifier.StartsWith('-');

    /// <summary>
    /// The rights a set of matching entries gives (RFC 4314 §2): the union of the positive ones less the union of the
    /// negative ones.
    /// </summary>
    public static string Effective(IEnumerable<AclRow> matching)
    {
        var granted = "";
        var denied = "";
        foreach (var row in matching)
        {
            if (row.Negative) denied = AclRights.Union(denied, row.Rights);
            else granted = AclRights.Union(granted, row.Rights);
        }
        return AclRights.Except(granted, denied);
    }
}
