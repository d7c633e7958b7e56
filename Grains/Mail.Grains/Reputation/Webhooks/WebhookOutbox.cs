namespace Mail.Grains.Reputation.Webhooks;

/// <summary>
/// How producers queue webhook events: a fragment each appends to the statement that makes the change it reports, so
/// the event is durable exactly when the change is (the transactional outbox). An event fans out to every endpoint
/// of the tenant that asked for it, and costs nothing but a join when none did. The table's trigger wakes the
/// dispatchers (migration 0011).
/// </summary>
public static class WebhookOutbox
{
    /// <summary>The notification channel a statement that queued deliveries signals.</summary>
    public const string Channel = "webhook_deliveries";

    /// <summary>What a statement on outbound_queue (alias q) returns so <see cref="QueueRowData"/> can describe the row.</summary>
    public const string QueueRowColumns =
        "q.id, q.submission_id, q.recipient, q.envelope_from, q.blob_tenant, q.status, q.status_code, q.last_reply, q.remote_mta, q.attempts, q.next_attempt_at, q.source_ip, q.provider";

    /// <summary>
    /// An INSERT queuing one delivery per (row of <paramref name="from"/>, endpoint of its tenant subscribed to the event).
    /// The other arguments are SQL expressions over <paramref name="from"/>.
    /// </summary>
    public static string Queue(string from, string tenant, string eventName, string data, string at) =>
        $"""
        INSERT INTO webhook_deliveries (webhook_id, tenant_id, event, data, created_at, next_attempt_at)
        SELECT w.id, {tenant}, {eventName}, {data}, {at}, {at}
          FROM {from} JOIN webhooks w ON w.tenant_id = {tenant} AND {eventName} = ANY (w.events)
        """;

    /// <summary>The event data of a queue row returned as <see cref="QueueRowColumns"/> under <paramref name="alias"/>, plus <paramref name="extra"/> (a jsonb expression).</summary>
    public static string QueueRowData(string alias, string extra = "'{}'::jsonb") =>
        $"""
        jsonb_strip_nulls(jsonb_build_object(
            'outbound_id', {alias}.id, 'submission_id', {alias}.submission_id, 'recipient', {alias}.recipient,
            'sender', {alias}.envelope_from, 'sending_domain', NULLIF(split_part({alias}.envelope_from, '@', 2), ''),
            'status_code', {alias}.status_code, 'reply', {alias}.last_reply, 'remote_mta', {alias}.remote_mta,
            'attempts', {alias}.attempts, 'source_ip', {alias}.source_ip, 'provider', {alias}.provider,
            'next_attempt_at', CASE WHEN {alias}.status = 'queued' THEN {alias}.next_attempt_at END) || {extra})
        """;
}
