using Npgsql;

namespace Mail.Storage.Postgres;

/// <summary>Builds the NpgsqlDataSource of the mail database with the settings every caller wants.</summary>
public static class MailDataSource
{
    /// <summary>
    /// A data source for <paramref name="connectionString"/>. Statements are prepared automatically once
    /// seen a few times (unless the connection string says otherwise): the per-delivery batch then skips
    /// parsing and planning on the server, which is most of PostgreSQL's CPU per message. Connections are
    /// not reset when they go back to the pool: nothing here changes session state (no SET, LISTEN or
    /// temporary tables), and the reset would cost a statement on every write.
    /// Prepared statements use generic plans (plan_cache_mode): the mailbox tables are hash-partitioned, so a
    /// generic plan looks costlier than a pruned custom one and PostgreSQL would otherwise re-plan every
    /// execution; with a generic plan the partition is pruned at executor start-up instead.
    /// </summary>
    public static NpgsqlDataSource Create(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0) builder.MaxAutoPrepare = 64;
        builder.NoResetOnClose = true;
        if (builder.Options?.Contains("plan_cache_mode", StringComparison.Ordinal) != true)
            builder.Options = $"{builder.Options} -c plan_cache_mode=force_generic_plan".Trim();
        return NpgsqlDataSource.Create(builder.ConnectionString);
    }
}
