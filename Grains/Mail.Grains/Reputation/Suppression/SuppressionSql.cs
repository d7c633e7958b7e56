namespace Mail.Grains.Reputation.Suppression;

/// <summary>
/// SQL shared by every writer and reader of the suppressions table (migration 0011), so the queue intake, the outcome
/// writer and the feedback store, which each act inside their own statement, apply one rule.
/// </summary>
public static class SuppressionSql
{
    /// <summary>
    /// Inserts the rows <paramref name="select"/> yields as (tenant_id, address, reason, created_at, expires_at, detail).
    /// An existing entry is replaced only when it has expired or the new one lasts longer (a complaint's never-expiring
    /// entry is not shortened by a later hard bounce); one statement never names an address twice (PostgreSQL refuses that).
    /// </summary>
    public static string Upsert(string select) =>
        $"""
        INSERT INTO suppressions AS s (tenant_id, address, reason, created_at, expires_at, detail)
        SELECT DISTINCT ON (n.tenant_id, n.address) n.tenant_id, n.address, n.reason, n.created_at, n.expires_at, n.detail
          FROM ({select}) AS n(tenant_id, address, reason, created_at, expires_at, detail)
        ON CONFLICT (tenant_id, address) DO UPDATE
           SET reason = excluded.reason, created_at = excluded.created_at, expires_at = excluded.expires_at, detail = excluded.detail
         WHERE s.expires_at IS NOT NULL
           AND (s.expires_at <= excluded.created_at OR excluded.expires_at IS NULL OR excluded.expires_at > s.expires_at)
        """;

    /// <summary>The reason <paramref name="address"/> (lower-cased SQL) is suppressed for <paramref name="tenant"/> at <paramref name="now"/>, or NULL: a scalar subquery.</summary>
    public static string ActiveReason(string tenant, string address, string now) =>
        $"(SELECT x.reason FROM suppressions x WHERE x.tenant_id = {tenant} AND x.address = {address} AND (x.expires_at IS NULL OR x.expires_at > {now}))";
}
