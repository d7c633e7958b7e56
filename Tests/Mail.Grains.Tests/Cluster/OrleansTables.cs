using Npgsql;

namespace Mail.Grains.Tests.Cluster;

/// <summary>Reads (and, to fake a competing writer, touches) the Orleans provider tables of migration 0001 directly.</summary>
public static class OrleansTables
{
    /// <summary>SiloStatus.Active as stored in the membership table.</summary>
    public const int Active = 3;

    /// <summary>SiloStatus.Dead as stored in the membership table.</summary>
    public const int Dead = 6;

    /// <summary>Membership rows of a cluster in a status.</summary>
    public static Task<long> CountMembersAsync(string connectionString, string clusterId, int status) =>
        ScalarAsync<long>(connectionString,
            "SELECT count(*) FROM orleans_membership WHERE deployment_id = @c AND status = @s",
            ("c", clusterId), ("s", status));

    /// <summary>The version of a string-keyed grain's state row and whether it holds a payload, or null without a row.</summary>
    public static async Task<(int Version, bool HasPayload)?> ReadStateRowAsync(string connectionString, string serviceId, string grainKey)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT version, payload_binary IS NOT NULL FROM orleans_storage WHERE service_id = @s AND grain_id_extension_string = @k",
            connection);
        command.Parameters.AddWithValue("s", serviceId);
        command.Parameters.AddWithValue("k", grainKey);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return null;
        var row = (reader.GetInt32(0), reader.GetBoolean(1));
        Assert.False(await reader.ReadAsync(), "a grain's state must have exactly one row");
        return row;
    }

    /// <summary>Moves a grain's state row one version on, as a second writer would.</summary>
    public static async Task BumpStateVersionAsync(string connectionString, string serviceId, string grainKey)
    {
        var updated = await ScalarAsync<int>(connectionString,
            "WITH u AS (UPDATE orleans_storage SET version = version + 1 WHERE service_id = @s AND grain_id_extension_string = @k RETURNING 1) SELECT count(*)::int FROM u",
            ("s", serviceId), ("k", grainKey));
        Assert.Equal(1, updated);
    }

    /// <summary>The period in milliseconds of a stored reminder, or null without a row.</summary>
    public static Task<long?> ReadReminderPeriodAsync(string connectionString, string serviceId, GrainId grainId, string name) =>
        ScalarAsync<long?>(connectionString,
            "SELECT (SELECT period FROM orleans_reminders WHERE service_id = @s AND grain_id = @g AND reminder_name = @n)",
            ("s", serviceId), ("g", grainId.ToString()), ("n", name));

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        var result = await command.ExecuteScalarAsync();
        return result is DBNull or null ? default! : (T)result;
    }
}
