using System.Text.Json;
using Mail.Grains.Interfaces.Reputation;
using Npgsql;
using NpgsqlTypes;

namespace Mail.Grains.Reputation;

/// <summary>
/// The SQL of the pool grains (migration 0010): IP rows, hourly usage per provider, automation overrides and operator
/// schedules. Each pool grain is the only writer of its IPs' rows.
/// </summary>
public sealed class IpPoolStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Seeds rows for the IPs configuration puts in <paramref name="pool"/> that have none (warm ones warmed, the others on
    /// day 1 today), then reads every configured IP whose row names this pool (an operator may have moved it here), and
    /// those configuration puts here whose row names a pool that is no longer configured.
    /// </summary>
    public async Task<IReadOnlyList<PooledIp>> LoadIpsAsync(string pool, IReadOnlyDictionary<string, ConfiguredIp> configured, DateTimeOffset today)
    {
        var pools = configured.Values.Select(c => c.Pool).Distinct().ToArray();
        var own = configured.Where(c => c.Value.Pool == pool).ToArray();
        await using var batch = dataSource.CreateBatch();
        var seed = new NpgsqlBatchCommand(
            """
            INSERT INTO ip_addresses (ip, pool, warmup_started_on, created_at, updated_at)
            SELECT u.ip, @pool, CASE WHEN u.warm THEN NULL ELSE @today END, now(), now() FROM unnest(@ips, @warm) AS u(ip, warm)
            ON CONFLICT (ip) DO NOTHING
            """);
        seed.Parameters.AddWithValue("pool", pool);
        seed.Parameters.AddWithValue("today", DateOnly.FromDateTime(today.UtcDateTime));
        seed.Parameters.AddWithValue("ips", own.Select(c => c.Key).ToArray());
        seed.Parameters.AddWithValue("warm", own.Select(c => c.Value.Warm).ToArray());
        batch.BatchCommands.Add(seed);
        var read = new NpgsqlBatchCommand(
            """
            SELECT ip, paused, paused_reason, warmup_started_on, last_used_at FROM ip_addresses
             WHERE ip = ANY(@all) AND (pool = @pool OR (ip = ANY(@own) AND pool <> ALL(@pools)))
            """);
        read.Parameters.AddWithValue("pool", pool);
        read.Parameters.AddWithValue("all", configured.Keys.ToArray());
        read.Parameters.AddWithValue("own", own.Select(c => c.Key).ToArray());
        read.Parameters.AddWithValue("pools", pools);
        batch.BatchCommands.Add(read);
        await using var reader = await batch.ExecuteReaderAsync();
        var ips = new List<PooledIp>();
        while (await reader.ReadAsync())
        {
            ips.Add(new PooledIp(reader.GetString(0))
            {
                Paused = reader.GetBoolean(1),
                PausedReason = reader.IsDBNull(2) ? null : reader.GetString(2),
                WarmupStartedAt = reader.IsDBNull(3) ? null : Midnight(reader.GetFieldValue<DateOnly>(3)),
                LastUsedAt = reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                LastUsedStored = reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
            });
        }
        return ips;
    }

    /// <summary>Messages granted per IP, provider and hour since <paramref name="fromHour"/>.</summary>
    public async Task<IReadOnlyList<UsageChange>> LoadUsageAsync(IReadOnlyCollection<string> ips, DateTimeOffset fromHour)
    {
        await using var command = dataSource.CreateCommand("SELECT ip, provider, hour, messages FROM ip_usage WHERE ip = ANY(@ips) AND hour >= @from");
        command.Parameters.AddWithValue("ips", ips.ToArray());
        command.Parameters.AddWithValue("from", fromHour);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<UsageChange>();
        while (await reader.ReadAsync()) rows.Add(new UsageChange(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetInt32(3)));
        return rows;
    }

    /// <summary>Automation overrides on <paramref name="ips"/> still in force at <paramref name="now"/>.</summary>
    public async Task<IReadOnlyList<(string Ip, string Provider, IpOverride Override)>> LoadOverridesAsync(IReadOnlyCollection<string> ips, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand("SELECT ip, provider, kind, rate, until, rule FROM ip_overrides WHERE ip = ANY(@ips) AND until > @now");
        command.Parameters.AddWithValue("ips", ips.ToArray());
        command.Parameters.AddWithValue("now", now);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string, IpOverride)>();
        while (await reader.ReadAsync())
        {
            MessageRate? rate = reader.IsDBNull(3) ? null : MessageRate.Parse(reader.GetString(3));
            rows.Add((reader.GetString(0), reader.GetString(1), new IpOverride(reader.GetString(2), rate, reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5))));
        }
        return rows;
    }

    /// <summary>The schedule an operator set for <paramref name="pool"/>, if any.</summary>
    public async Task<WarmupScheduleSpec?> LoadScheduleAsync(string pool)
    {
        await using var command = dataSource.CreateCommand("SELECT schedule::text FROM ip_pool_schedules WHERE pool = @pool");
        command.Parameters.AddWithValue("pool", pool);
        return await command.ExecuteScalarAsync() is string json ? JsonSerializer.Deserialize<WarmupScheduleSpec>(json) : null;
    }

    /// <summary>Stores an operator's schedule for <paramref name="pool"/>; null deletes it (configuration's applies again).</summary>
    public async Task SaveScheduleAsync(string pool, WarmupScheduleSpec? schedule, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand(schedule is null
            ? "DELETE FROM ip_pool_schedules WHERE pool = @pool"
            : """
              INSERT INTO ip_pool_schedules (pool, schedule, updated_at) VALUES (@pool, @schedule::jsonb, @now)
              ON CONFLICT (pool) DO UPDATE SET schedule = EXCLUDED.schedule, updated_at = EXCLUDED.updated_at
              """);
        command.Parameters.AddWithValue("pool", pool);
        if (schedule is not null)
        {
            command.Parameters.AddWithValue("schedule", JsonSerializer.Serialize(schedule));
            command.Parameters.AddWithValue("now", now);
        }
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Adds usage (negative to take back) and records when IPs were last used, in one round trip.</summary>
    public async Task AddUsageAsync(IReadOnlyList<UsageChange> usage, IReadOnlyList<(string Ip, DateTimeOffset At)> lastUsed)
    {
        if (usage.Count == 0 && lastUsed.Count == 0) return;
        await using var batch = dataSource.CreateBatch();
        if (usage.Count > 0)
        {
            var add = new NpgsqlBatchCommand(
                """
                INSERT INTO ip_usage (ip, provider, hour, messages)
                SELECT * FROM unnest(@ips, @providers, @hours, @messages)
                ON CONFLICT (ip, provider, hour) DO UPDATE SET messages = GREATEST(0, ip_usage.messages + EXCLUDED.messages)
                """);
            add.Parameters.AddWithValue("ips", usage.Select(u => u.Ip).ToArray());
            add.Parameters.AddWithValue("providers", usage.Select(u => u.Provider).ToArray());
            add.Parameters.AddWithValue("hours", usage.Select(u => u.Hour).ToArray());
            add.Parameters.AddWithValue("messages", usage.Select(u => u.Messages).ToArray());
            batch.BatchCommands.Add(add);
        }
        if (lastUsed.Count > 0)
        {
            var used = new NpgsqlBatchCommand(
                "UPDATE ip_addresses a SET last_used_at = u.at FROM unnest(@ips, @ats) AS u(ip, at) WHERE a.ip = u.ip");
            used.Parameters.AddWithValue("ips", lastUsed.Select(u => u.Ip).ToArray());
            used.Parameters.AddWithValue("ats", lastUsed.Select(u => u.At).ToArray());
            batch.BatchCommands.Add(used);
        }
        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>Writes an IP's operator state, warm-up start and pool.</summary>
    public async Task SaveIpAsync(PooledIp ip, string pool, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE ip_addresses SET pool = @pool, paused = @paused, paused_reason = @reason, warmup_started_on = @warmup,
                   last_used_at = @used, updated_at = @now
             WHERE ip = @ip
            """);
        command.Parameters.AddWithValue("ip", ip.Address);
        command.Parameters.AddWithValue("pool", pool);
        command.Parameters.AddWithValue("paused", ip.Paused);
        command.Parameters.AddWithValue("reason", NpgsqlDbType.Text, (object?)ip.PausedReason ?? DBNull.Value);
        command.Parameters.AddWithValue("warmup", NpgsqlDbType.Date, ip.WarmupStartedAt is { } w ? DateOnly.FromDateTime(w.UtcDateTime) : DBNull.Value);
        command.Parameters.AddWithValue("used", NpgsqlDbType.TimestampTz, (object?)ip.LastUsedAt ?? DBNull.Value);
        command.Parameters.AddWithValue("now", now);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Stores an override an automation rule put on an IP × provider.</summary>
    public async Task SaveOverrideAsync(string ip, string provider, IpOverride applied)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO ip_overrides (ip, provider, kind, rate, until, rule) VALUES (@ip, @provider, @kind, @rate, @until, @rule)
            ON CONFLICT (ip, provider, kind) DO UPDATE SET rate = EXCLUDED.rate, until = EXCLUDED.until, rule = EXCLUDED.rule
            """);
        command.Parameters.AddWithValue("ip", ip);
        command.Parameters.AddWithValue("provider", provider);
        command.Parameters.AddWithValue("kind", applied.Kind);
        command.Parameters.AddWithValue("rate", NpgsqlDbType.Text, (object?)applied.Rate?.ToString() ?? DBNull.Value);
        command.Parameters.AddWithValue("until", applied.Until);
        command.Parameters.AddWithValue("rule", applied.Rule);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Drops every override on an IP (an operator resumed it).</summary>
    public async Task DeleteOverridesAsync(string ip)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM ip_overrides WHERE ip = @ip");
        command.Parameters.AddWithValue("ip", ip);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The pool the row of <paramref name="ip"/> names, if it has one.</summary>
    public async Task<string?> PoolOfAsync(string ip)
    {
        await using var command = dataSource.CreateCommand("SELECT pool FROM ip_addresses WHERE ip = @ip");
        command.Parameters.AddWithValue("ip", ip);
        return await command.ExecuteScalarAsync() as string;
    }

    private static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
