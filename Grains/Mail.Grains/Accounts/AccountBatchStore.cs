using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Mailboxes;
using Mail.Grains.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Mail.Grains.Accounts;

/// <summary>One account of a batch, ready to write: the address's and the account's state documents and keys.</summary>
public sealed record AccountBatchRow(
    string Address, string Domain, string AccountId, long QuotaBytes,
    GrainStateKey AddressKey, byte[] AddressState, GrainStateKey AccountKey, byte[] AccountState);

/// <summary>
/// The SQL of <see cref="TenantGrain.CreateAccountsAsync"/>: a batch of accounts in one statement, so one transaction and
/// one commit. The address claims are the address grains' own state rows, inserted set-wise with ON CONFLICT on the
/// storage key: a row that exists and holds a claim is left alone and its entry is reported in use; a released address
/// (a tombstone, payload NULL) is claimed again. Only the claimed entries get their account state row, their mailbox
/// with its special folders (what MailboxStore.CreateAsync writes; the account ids are new, so no mailbox grain can hold
/// them yet) and their directory row.
/// </summary>
public sealed class AccountBatchStore(NpgsqlDataSource dataSource, GrainStateRows rows)
{
    private const string Sql =
        """
        WITH input AS (
            SELECT * FROM unnest(@address, @domain, @account, @quota,
                                 @a_hash, @a_n0, @a_n1, @a_ext, @a_state, @c_hash, @c_n0, @c_n1, @c_ext, @c_state)
                AS t(address, domain, account_id, quota, a_hash, a_n0, a_n1, a_ext, a_state, c_hash, c_n0, c_n1, c_ext, c_state)
        ),
        claimed AS (
            INSERT INTO orleans_storage AS s
                (grain_id_hash, grain_type_hash, service_id, grain_type_string, grain_id_n0, grain_id_n1,
                 grain_id_extension_string, payload_binary, modified_on, version)
            SELECT a_hash, @a_type_hash, @service, @a_type, a_n0, a_n1, a_ext, a_state, now(), 1
            FROM input ORDER BY a_hash, a_n0, a_n1, a_ext
            ON CONFLICT ON CONSTRAINT orleans_storage_grain_key DO UPDATE
                SET payload_binary = excluded.payload_binary, modified_on = now(), version = s.version + 1
                WHERE s.payload_binary IS NULL
            RETURNING grain_id_hash, grain_id_n0, grain_id_n1, grain_id_extension_string
        ),
        won AS (
            SELECT i.* FROM input i
            JOIN claimed c ON c.grain_id_hash = i.a_hash AND c.grain_id_n0 = i.a_n0 AND c.grain_id_n1 = i.a_n1
                          AND c.grain_id_extension_string IS NOT DISTINCT FROM i.a_ext
        ),
        accounts AS (
            INSERT INTO orleans_storage
                (grain_id_hash, grain_type_hash, service_id, grain_type_string, grain_id_n0, grain_id_n1,
                 grain_id_extension_string, payload_binary, modified_on, version)
            SELECT c_hash, @c_type_hash, @service, @c_type, c_n0, c_n1, c_ext, c_state, now(), 1 FROM won
        ),
        boxes AS (
            INSERT INTO mailboxes (account_id, tenant_id, quota_limit, next_folder_id, created_at)
            SELECT account_id, @tenant, quota, @next_folder, @created FROM won
            RETURNING account_id
        ),
        folders AS (
            INSERT INTO mailbox_folders (account_id, folder_id, name, special_use, uid_validity)
            SELECT b.account_id, f.id, f.name, f.special_use, f.uid_validity
            FROM boxes b CROSS JOIN unnest(@f_id, @f_name, @f_special, @f_uid_validity) AS f(id, name, special_use, uid_validity)
        ),
        listed AS (
            INSERT INTO directory_accounts (account_id, tenant_id, address, domain, quota_bytes, suspended, created_at)
            SELECT account_id, @tenant, address, domain, quota, false, @created FROM won
            ON CONFLICT DO NOTHING
        )
        SELECT address FROM won
        """;

    /// <summary>Writes the batch (its entries' storage keys distinct); returns the addresses it claimed, whose accounts now exist.</summary>
    public async Task<HashSet<string>> CreateAsync(string tenantId, IReadOnlyList<AccountBatchRow> batch, DateTimeOffset createdAt)
    {
        await using var command = dataSource.CreateCommand(Sql);
        var p = command.Parameters;
        Add(p, "address", NpgsqlDbType.Text, batch.Select(r => r.Address));
        Add(p, "domain", NpgsqlDbType.Text, batch.Select(r => r.Domain));
        Add(p, "account", NpgsqlDbType.Text, batch.Select(r => r.AccountId));
        Add(p, "quota", NpgsqlDbType.Bigint, batch.Select(r => r.QuotaBytes));
        Add(p, "a_hash", NpgsqlDbType.Integer, batch.Select(r => r.AddressKey.GrainIdHash));
        Add(p, "a_n0", NpgsqlDbType.Bigint, batch.Select(r => r.AddressKey.N0));
        Add(p, "a_n1", NpgsqlDbType.Bigint, batch.Select(r => r.AddressKey.N1));
        Add(p, "a_ext", NpgsqlDbType.Text, batch.Select(r => r.AddressKey.Extension));
        Add(p, "a_state", NpgsqlDbType.Bytea, batch.Select(r => r.AddressState));
        Add(p, "c_hash", NpgsqlDbType.Integer, batch.Select(r => r.AccountKey.GrainIdHash));
        Add(p, "c_n0", NpgsqlDbType.Bigint, batch.Select(r => r.AccountKey.N0));
        Add(p, "c_n1", NpgsqlDbType.Bigint, batch.Select(r => r.AccountKey.N1));
        Add(p, "c_ext", NpgsqlDbType.Text, batch.Select(r => r.AccountKey.Extension));
        Add(p, "c_state", NpgsqlDbType.Bytea, batch.Select(r => r.AccountState));
        var addressType = GrainStateRows.KeyOf(AddressGrain.StateName, "-");
        var accountType = GrainStateRows.KeyOf(AccountGrain.StateName, "-");
        p.AddWithValue("a_type_hash", addressType.GrainTypeHash);
        p.AddWithValue("a_type", addressType.GrainType);
        p.AddWithValue("c_type_hash", accountType.GrainTypeHash);
        p.AddWithValue("c_type", accountType.GrainType);
        p.AddWithValue("service", rows.ServiceId);
        p.AddWithValue("tenant", tenantId);
        p.AddWithValue("created", createdAt);
        p.AddWithValue("next_folder", SpecialFolders.All.Count + 1);
        var folders = Enumerable.Range(0, SpecialFolders.All.Count).ToArray();
        Add(p, "f_id", NpgsqlDbType.Integer, folders.Select(i => i + 1));
        Add(p, "f_name", NpgsqlDbType.Text, folders.Select(i => SpecialFolders.All[i].Name));
        Add(p, "f_special", NpgsqlDbType.Text, folders.Select(i => SpecialFolders.All[i].SpecialUse));
        Add(p, "f_uid_validity", NpgsqlDbType.Bigint, folders.Select(i => MailboxStore.UidValidity(createdAt, i + 1)));
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) claimed.Add(reader.GetString(0));
        return claimed;
    }

    private static void Add<T>(NpgsqlParameterCollection parameters, string name, NpgsqlDbType type, IEnumerable<T> values) =>
        parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | type) { Value = values.ToArray() });
}
