using Mail.Grains.Interfaces.Reputation;
using Npgsql;

namespace Mail.Grains.Reputation;

/// <summary>The reputation_counters table (migration 0010): hourly buckets per IP × provider, tenant and sending domain.</summary>
public sealed class ReputationCounterStore(NpgsqlDataSource dataSource)
{
    private const string Sums = "sum(sent), sum(delivered), sum(deferred), sum(hard_bounces), sum(soft_bounces), sum(complaints)";

    /// <summary>Adds deltas to their buckets in one statement.</summary>
    public async Task AddAsync(IReadOnlyList<CounterDelta> deltas)
    {
        if (deltas.Count == 0) return;
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO reputation_counters AS c (scope, subject, provider, hour, sent, delivered, deferred, hard_bounces, soft_bounces, complaints)
            SELECT * FROM unnest(@scopes, @subjects, @providers, @hours, @sent, @delivered, @deferred, @hard, @soft, @complaints)
            ON CONFLICT (scope, subject, provider, hour) DO UPDATE SET
                sent = c.sent + EXCLUDED.sent, delivered = c.delivered + EXCLUDED.delivered, deferred = c.deferred + EXCLUDED.deferred,
                hard_bounces = c.hard_bounces + EXCLUDED.hard_bounces, soft_bounces = c.soft_bounces + EXCLUDED.soft_bounces,
                complaints = c.complaints + EXCLUDED.complaints
            """);
        command.Parameters.AddWithValue("scopes", deltas.Select(d => d.Scope).ToArray());
        command.Parameters.AddWithValue("subjects", deltas.Select(d => d.Subject).ToArray());
        command.Parameters.AddWithValue("providers", deltas.Select(d => d.Provider).ToArray());
        command.Parameters.AddWithValue("hours", deltas.Select(d => d.Hour).ToArray());
        command.Parameters.AddWithValue("sent", deltas.Select(d => d.Counts.Sent).ToArray());
        command.Parameters.AddWithValue("delivered", deltas.Select(d => d.Counts.Delivered).ToArray());
        command.Parameters.AddWithValue("deferred", deltas.Select(d => d.Counts.Deferred).ToArray());
        command.Parameters.AddWithValue("hard", deltas.Select(d => d.Counts.HardBounces).ToArray());
        command.Parameters.AddWithValue("soft", deltas.Select(d => d.Counts.SoftBounces).ToArray());
        command.Parameters.AddWithValue("complaints", deltas.Select(d => d.Counts.Complaints).ToArray());
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The counts of a subject (every provider) in the buckets from <paramref name="fromHour"/> on.</summary>
    public async Task<Counts> SumAsync(string scope, string subject, DateTimeOffset fromHour)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Sums} FROM reputation_counters WHERE scope = @scope AND subject = @subject AND hour >= @from");
        command.Parameters.AddWithValue("scope", scope);
        command.Parameters.AddWithValue("subject", subject);
        command.Parameters.AddWithValue("from", fromHour);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return ReadCounts(reader, 0);
    }

    /// <summary>
    /// A subject's windows (last hour, 24 hours, 7 days, each ending with the current hour) in total and per provider,
    /// and its last <paramref name="hours"/> hourly buckets with empty hours as zeros.
    /// </summary>
    public async Task<CounterReport> ReportAsync(string scope, string subject, int hours, DateTimeOffset now)
    {
        var current = UtcPeriods.HourOf(now);
        var from = current.AddHours(-(Math.Max(hours, 168) - 1));
        await using var command = dataSource.CreateCommand(
            """
            SELECT provider, hour, sent, delivered, deferred, hard_bounces, soft_bounces, complaints FROM reputation_counters
             WHERE scope = @scope AND subject = @subject AND hour >= @from
            """);
        command.Parameters.AddWithValue("scope", scope);
        command.Parameters.AddWithValue("subject", subject);
        command.Parameters.AddWithValue("from", from);
        var rows = new List<(string Provider, DateTimeOffset Hour, Counts Counts)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), ReadCounts(reader, 2)));
        }
        CounterWindows Windows(IEnumerable<(string Provider, DateTimeOffset Hour, Counts Counts)> of)
        {
            var list = of.ToList();
            return new CounterWindows(Sum(list.Where(r => r.Hour >= current).Select(r => r.Counts)),
                Sum(list.Where(r => r.Hour > current.AddHours(-24)).Select(r => r.Counts)),
                Sum(list.Select(r => r.Counts)));
        }
        var byProvider = rows.Where(r => r.Provider.Length > 0).GroupBy(r => r.Provider)
            .ToDictionary(g => g.Key, g => Windows(g), StringComparer.Ordinal);
        var byHour = rows.GroupBy(r => r.Hour).ToDictionary(g => g.Key, g => Sum(g.Select(r => r.Counts)));
        var hourly = Enumerable.Range(0, Math.Clamp(hours, 1, 168)).Select(i => current.AddHours(-i)).Reverse()
            .Select(h => new CounterBucket(h, byHour.GetValueOrDefault(h) ?? Counts.Zero)).ToArray();
        return new CounterReport(scope, subject, Windows(rows), byProvider, hourly);
    }

    /// <summary>Tenants with counts since <paramref name="fromHour"/>, worst bounce rate first, then complaint rate.</summary>
    public async Task<IReadOnlyList<TenantRank>> RankTenantsAsync(DateTimeOffset fromHour, int limit)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT subject, {Sums} FROM reputation_counters WHERE scope = 'tenant' AND hour >= @from GROUP BY subject");
        command.Parameters.AddWithValue("from", fromHour);
        var ranks = new List<TenantRank>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ranks.Add(new TenantRank(reader.GetString(0), ReadCounts(reader, 1)));
        return ranks.OrderByDescending(r => r.LastDay.BounceRate).ThenByDescending(r => r.LastDay.ComplaintRate)
            .ThenByDescending(r => r.LastDay.Sent).ThenBy(r => r.Tenant, StringComparer.Ordinal).Take(limit).ToArray();
    }

    /// <summary>Deletes counter buckets and IP usage older than <paramref name="before"/>.</summary>
    public async Task PruneAsync(DateTimeOffset before)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM reputation_counters WHERE hour < @before; DELETE FROM ip_usage WHERE hour < @before");
        command.Parameters.AddWithValue("before", before);
        await command.ExecuteNonQueryAsync();
    }

    private static Counts Sum(IEnumerable<Counts> counts) => counts.Aggregate(Counts.Zero, (a, b) => new Counts(a.Sent + b.Sent, a.Delivered + b.Delivered,
        a.Deferred + b.Deferred, a.HardBounces + b.HardBounces, a.SoftBounces + b.SoftBounces, a.Complaints + b.Complaints));

    private static Counts ReadCounts(NpgsqlDataReader reader, int first)
    {
        long At(int i) => reader.IsDBNull(first + i) ? 0 : Convert.ToInt64(reader.GetValue(first + i), System.Globalization.CultureInfo.InvariantCulture);
        return new Counts(At(0), At(1), At(2), At(3), At(4), At(5));
    }
}
