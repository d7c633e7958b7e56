using Mail.Grains.Interfaces.Delivery;
using Npgsql;

namespace Mail.Grains.Delivery.Sieve;

/// <summary>The SQL of Sieve scripts and vacation replies. Only <see cref="SieveScriptsGrain"/> calls it, so each account has one writer.</summary>
public sealed class SieveStore(NpgsqlDataSource dataSource)
{
    /// <summary>The account's scripts, by name.</summary>
    public async Task<IReadOnlyList<SieveScriptInfo>> ListAsync(string accountId)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT name, active, octet_length(content), updated_at FROM sieve_scripts WHERE account_id = @a ORDER BY name");
        command.Parameters.AddWithValue("a", accountId);
        await using var reader = await command.ExecuteReaderAsync();
        var scripts = new List<SieveScriptInfo>();
        while (await reader.ReadAsync())
        {
            scripts.Add(new SieveScriptInfo(reader.GetString(0), reader.GetBoolean(1), reader.GetInt32(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }
        return scripts;
    }

    /// <summary>A script's text, or null.</summary>
    public async Task<string?> GetAsync(string accountId, string name)
    {
        await using var command = dataSource.CreateCommand("SELECT content FROM sieve_scripts WHERE account_id = @a AND name = @n");
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("n", name);
        return await command.ExecuteScalarAsync() as string;
    }

    /// <summary>The active script, or null.</summary>
    public async Task<ActiveSieveScript?> GetActiveAsync(string accountId)
    {
        await using var command = dataSource.CreateCommand("SELECT name, content FROM sieve_scripts WHERE account_id = @a AND active");
        command.Parameters.AddWithValue("a", accountId);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? new ActiveSieveScript(reader.GetString(0), reader.GetString(1)) : null;
    }

    /// <summary>Writes a script, keeping its active mark when it replaces one.</summary>
    public async Task PutAsync(string accountId, string name, string content)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO sieve_scripts (account_id, name, content, updated_at) VALUES (@a, @n, @c, now())
            ON CONFLICT (account_id, name) DO UPDATE SET content = excluded.content, updated_at = now()
            """);
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("n", name);
        command.Parameters.AddWithValue("c", content);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Makes <paramref name="name"/> the only active script (null: none); false when there is no such script.</summary>
    public async Task<bool> SetActiveAsync(string accountId, string? name)
    {
        await using var batch = dataSource.CreateBatch();
        var clear = new NpgsqlBatchCommand("UPDATE sieve_scripts SET active = false WHERE account_id = @a AND active AND name IS DISTINCT FROM @n");
        clear.Parameters.AddWithValue("a", accountId);
        clear.Parameters.AddWithValue("n", NpgsqlTypes.NpgsqlDbType.Text, (object?)name ?? DBNull.Value);
        batch.BatchCommands.Add(clear);
        if (name is not null)
        {
            var set = new NpgsqlBatchCommand("UPDATE sieve_scripts SET active = true WHERE account_id = @a AND name = @n");
            set.Parameters.AddWithValue("a", accountId);
            set.Parameters.AddWithValue("n", name);
            batch.BatchCommands.Add(set);
        }
        await batch.ExecuteNonQueryAsync();
        return name is null || batch.BatchCommands[1].RecordsAffected == 1;
    }

    /// <summary>Deletes a script; false when there is none by that name.</summary>
    public async Task<bool> DeleteAsync(string accountId, string name)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM sieve_scripts WHERE account_id = @a AND name = @n");
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("n", name);
        return await command.ExecuteNonQueryAsync() == 1;
    }

    /// <summary>Renames a script; false when there is none by that name.</summary>
    public async Task<bool> RenameAsync(string accountId, string name, string newName)
    {
        await using var command = dataSource.CreateCommand("UPDATE sieve_scripts SET name = @to, updated_at = now() WHERE account_id = @a AND name = @n");
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("n", name);
        command.Parameters.AddWithValue("to", newName);
        return await command.ExecuteNonQueryAsync() == 1;
    }

    /// <summary>Records a vacation reply unless one went to the sender under the handle within <paramref name="period"/>; true when recorded.</summary>
    public async Task<bool> TryRecordVacationAsync(string accountId, string handle, string sender, TimeSpan period)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO sieve_vacation_replies (account_id, handle, sender, sent_at) VALUES (@a, @h, @s, now())
            ON CONFLICT (account_id, handle, sender) DO UPDATE SET sent_at = now()
            WHERE sieve_vacation_replies.sent_at <= now() - @p
            RETURNING 1
            """);
        command.Parameters.AddWithValue("a", accountId);
        command.Parameters.AddWithValue("h", handle);
        command.Parameters.AddWithValue("s", sender);
        command.Parameters.AddWithValue("p", period);
        return await command.ExecuteScalarAsync() is not null;
    }

    /// <summary>Deletes an account's scripts and vacation records (the account is being deleted).</summary>
    public async Task PurgeAsync(string accountId)
    {
        await using var batch = dataSource.CreateBatch();
        foreach (var table in new[] { "sieve_scripts", "sieve_vacation_replies" })
        {
            var command = new NpgsqlBatchCommand($"DELETE FROM {table} WHERE account_id = @a");
            command.Parameters.AddWithValue("a", accountId);
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync();
    }
}
