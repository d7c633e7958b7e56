using Mail.Testing;
using Npgsql;

namespace Mail.Bench.Chaos;

/// <summary>The store checked against the ledger after a chaos run.</summary>
public sealed record ChaosAuditResult(
    int Stored, int Lost, int Duplicated, int FlagsLost, int Mailboxes, long ChangeLogGaps, long HeadMismatches, int OutboundLost, int OutboundTwice);

/// <summary>
/// Reads the mailbox rows of the chaos users from PostgreSQL and the arrivals at the outbound sink: every acknowledged
/// message stored (lost otherwise), no (mailbox, message) stored twice, every acknowledged STORE's flag kept, every
/// mailbox's change log a gapless run of MODSEQs ending at the mailbox's HIGHESTMODSEQ, every acknowledged remote
/// recipient reached, and how many reached twice.
/// </summary>
public static class ChaosAudit
{
    /// <summary>Runs the checks.</summary>
    public static async Task<ChaosAuditResult> RunAsync(string database, ChaosLedger ledger, TestSmtpReceiver sink)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var stored = new Dictionary<(string, string), (int Count, bool Flagged)>();
        await using (var rows = new NpgsqlCommand(
            """
            SELECT a.address, m.subject, count(*), bool_or('\Flagged' = ANY(m.flags))
            FROM mailbox_messages m JOIN directory_accounts a ON a.account_id = m.account_id
            WHERE a.address LIKE 'chaos%@example.test' AND m.subject LIKE 'chaos-%'
            GROUP BY 1, 2
            """, connection))
        await using (var reader = await rows.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) stored[(reader.GetString(0), reader.GetString(1))] = ((int)reader.GetInt64(2), reader.GetBoolean(3));
        }
        var lost = ledger.Accepted.Keys.Count(k => !stored.ContainsKey(k));
        // A Sent copy lives in another mailbox, so any (mailbox, id) twice is a duplicate, acknowledged or not.
        var duplicated = stored.Values.Sum(v => v.Count - 1);
        var flagsLost = ledger.Flagged.Keys.Count(k => !stored.TryGetValue(k, out var row) || !row.Flagged);

        await using var log = new NpgsqlCommand(
            """
            WITH chaos AS (SELECT account_id FROM directory_accounts WHERE address LIKE 'chaos%@example.test'),
                 steps AS (SELECT c.account_id, c.modseq - lag(c.modseq) OVER (PARTITION BY c.account_id ORDER BY c.modseq) AS step
                           FROM mailbox_changes c JOIN chaos USING (account_id))
            SELECT (SELECT count(*) FROM chaos),
                   (SELECT count(*) FROM steps WHERE step <> 1),
                   (SELECT count(*) FROM mailboxes m JOIN chaos USING (account_id)
                    WHERE m.highest_modseq <> (SELECT max(modseq) FROM mailbox_changes c WHERE c.account_id = m.account_id))
            """, connection);
        await using var logReader = await log.ExecuteReaderAsync();
        await logReader.ReadAsync();
        var (mailboxes, gaps, heads) = ((int)logReader.GetInt64(0), logReader.GetInt64(1), logReader.GetInt64(2));

        var arrivals = sink.Messages.SelectMany(m => m.Recipients).GroupBy(r => r, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
        var outboundLost = ledger.Outbound.Keys.Count(r => !arrivals.ContainsKey(r));
        var twice = arrivals.Values.Sum(n => n - 1);
        return new ChaosAuditResult(ledger.Accepted.Keys.Count(stored.ContainsKey), lost, duplicated, flagsLost, mailboxes, gaps, heads, outboundLost, twice);
    }
}
