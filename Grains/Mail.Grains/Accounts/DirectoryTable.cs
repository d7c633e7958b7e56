using Mail.Grains.Interfaces.Accounts;
using Npgsql;

namespace Mail.Grains.Accounts;

/// <summary>
/// The directory tables: a listing index of domains and accounts for operators. The grains own the
/// truth; they upsert their row here after each state write, so a listing may lag one write behind.
/// </summary>
public sealed class DirectoryTable(NpgsqlDataSource dataSource)
{
    /// <summary>Records or updates a domain row.</summary>
    public async Task UpsertDomainAsync(DomainInfo domain)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO directory_domains (domain, tenant_id, created_at) VALUES (@domain, @tenant, @created)
            ON CONFLICT (domain) DO UPDATE SET tenant_id = excluded.tenant_id, created_at = excluded.created_at
            """);
        command.Parameters.AddWithValue("domain", domain.Domain);
        command.Parameters.AddWithValue("tenant", domain.TenantId);
        command.Parameters.AddWithValue("created", domain.CreatedAt);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Removes a domain row.</summary>
    public async Task DeleteDomainAsync(string domain)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM directory_domains WHERE domain = @domain");
        command.Parameters.AddWithValue("domain", domain);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Records or updates an account row.</summary>
    public async Task UpsertAccountAsync(AccountInfo account)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO directory_accounts (account_id, tenant_id, address, domain, quota_bytes, suspended, created_at)
            VALUES (@id, @tenant, @address, @domain, @quota, @suspended, @created)
            ON CONFLICT (account_id) DO UPDATE SET quota_bytes = excluded.quota_bytes, suspended = excluded.suspended
            """);
        command.Parameters.AddWithValue("id", account.AccountId);
        command.Parameters.AddWithValue("tenant", account.TenantId);
        command.Parameters.AddWithValue("address", account.Address);
        command.Parameters.AddWithValue("domain", AddressKey.DomainOf(account.Address));
        command.Parameters.AddWithValue("quota", account.QuotaBytes);
        command.Parameters.AddWithValue("suspended", account.Suspended);
        command.Parameters.AddWithValue("created", account.CreatedAt);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Removes an account row.</summary>
    public async Task DeleteAccountAsync(string accountId)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM directory_accounts WHERE account_id = @id");
        command.Parameters.AddWithValue("id", accountId);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Records an alias of an account.</summary>
    public async Task UpsertAliasAsync(string alias, string accountId, string tenantId)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO directory_aliases (address, domain, account_id, tenant_id) VALUES (@address, @domain, @account, @tenant)
            ON CONFLICT (address) DO UPDATE SET account_id = excluded.account_id, tenant_id = excluded.tenant_id
            """);
        command.Parameters.AddWithValue("address", alias);
        command.Parameters.AddWithValue("domain", AddressKey.DomainOf(alias));
        command.Parameters.AddWithValue("account", accountId);
        command.Parameters.AddWithValue("tenant", tenantId);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Removes an alias row.</summary>
    public async Task DeleteAliasAsync(string alias)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM directory_aliases WHERE address = @address");
        command.Parameters.AddWithValue("address", alias);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>How many addresses (accounts and aliases) still use a domain.</summary>
    public async Task<long> CountAddressesAsync(string domain)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT (SELECT count(*) FROM directory_accounts WHERE domain = @domain) + (SELECT count(*) FROM directory_aliases WHERE domain = @domain)");
        command.Parameters.AddWithValue("domain", domain);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>All domains by name.</summary>
    public async Task<IReadOnlyList<DomainInfo>> ListDomainsAsync()
    {
        await using var command = dataSource.CreateCommand("SELECT domain, tenant_id, created_at FROM directory_domains ORDER BY domain");
        await using var reader = await command.ExecuteReaderAsync();
        var domains = new List<DomainInfo>();
        while (await reader.ReadAsync())
        {
            domains.Add(new DomainInfo(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }
        return domains;
    }

    /// <summary>A page of accounts by address, of one domain or all.</summary>
    public async Task<AccountPage> ListAccountsAsync(string? domain, int offset, int limit)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT account_id, tenant_id, address, quota_bytes, suspended, created_at, count(*) OVER ()
            FROM directory_accounts WHERE (@domain::text IS NULL OR domain = @domain)
            ORDER BY address OFFSET @offset LIMIT @limit
            """);
        command.Parameters.AddWithValue("domain", NpgsqlTypes.NpgsqlDbType.Text, (object?)domain ?? DBNull.Value);
        command.Parameters.AddWithValue("offset", offset);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync();
        var items = new List<AccountInfo>();
        long total = 0;
        while (await reader.ReadAsync())
        {
            items.Add(new AccountInfo(reader.GetString(0), reader.GetString(1), reader.GetString(2), [],
                reader.GetInt64(3), reader.GetBoolean(4), reader.GetFieldValue<DateTimeOffset>(5)));
            total = reader.GetInt64(6);
        }
        if (items.Count == 0 && offset > 0)
        {
            await using var count = dataSource.CreateCommand("SELECT count(*) FROM directory_accounts WHERE (@domain::text IS NULL OR domain = @domain)");
            count.Parameters.AddWithValue("domain", NpgsqlTypes.NpgsqlDbType.Text, (object?)domain ?? DBNull.Value);
            total = (long)(await count.ExecuteScalarAsync())!;
        }
        return new AccountPage(items, total);
    }
}
