-- Feedback, suppression and webhooks (issue 10).
--
-- suppressions       one row per (tenant, lower-cased address) the tenant's mail must not go to. reason is
--                    hard-bounce, complaint, unsubscribe or manual; expires_at NULL means never (hard bounces
--                    expire, by default after 30 days). An expired row is ignored and replaced by the next add.
-- feedback_reports   every complaint (ARF, RFC 5965) and asynchronous bounce attributed to a queue row: the record
--                    reputation counters and operators read. report_id is the submission id of the report as it
--                    reached our MX, so a report delivered twice is recorded (and acted on) once.
-- webhooks           a tenant's endpoints, the events each wants and the secret its bodies are signed with.
-- webhook_deliveries the outbox: one row per (endpoint, event), written in the same transaction as the change it
--                    reports; the dispatcher leases due rows (next_attempt_at moved forward) and records the result.
-- webhook_attempts   one row per POST made: the delivery log the API shows.
CREATE TABLE suppressions (
    tenant_id  text NOT NULL,
    address    text NOT NULL,
    reason     text NOT NULL CHECK (reason IN ('hard-bounce', 'complaint', 'unsubscribe', 'manual')),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NULL,
    detail     text NULL,
    PRIMARY KEY (tenant_id, address)
);
CREATE INDEX suppressions_expiry ON suppressions (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE feedback_reports (
    id             bigserial PRIMARY KEY,
    report_id      text NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('complaint', 'bounce')),
    tenant_id      text NOT NULL,
    outbound_id    bigint NOT NULL,
    submission_id  text NOT NULL,
    recipient      text NOT NULL,
    sending_domain text NOT NULL,
    source_ip      text NULL,
    remote_mta     text NULL,
    feedback_type  text NULL,
    status_code    text NULL,
    received_at    timestamptz NOT NULL,
    UNIQUE (report_id, outbound_id)
);
CREATE INDEX feedback_reports_tenant ON feedback_reports (tenant_id, received_at DESC);

CREATE TABLE webhooks (
    id         bigserial PRIMARY KEY,
    tenant_id  text NOT NULL,
    url        text NOT NULL,
    secret     text NOT NULL,
    events     text[] NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX webhooks_tenant ON webhooks (tenant_id);

CREATE TABLE webhook_deliveries (
    id              bigserial PRIMARY KEY,
    webhook_id      bigint NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    tenant_id       text NOT NULL,
    event           text NOT NULL,
    data            jsonb NOT NULL,
    created_at      timestamptz NOT NULL,
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_status     integer NULL,
    last_error      text NULL,
    finished_at     timestamptz NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (webhook_id, id DESC);
CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (finished_at) WHERE finished_at IS NOT NULL;

CREATE TABLE webhook_attempts (
    delivery_id  bigint NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt      integer NOT NULL,
    attempted_at timestamptz NOT NULL,
    status_code  integer NULL,
    error        text NULL,
    duration_ms  integer NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);

-- One wake-up per statement that queued deliveries, whoever wrote them (queue intake, outcomes, feedback,
-- suppressions): producers need not remember to NOTIFY, and a statement that queued nothing wakes nobody.
CREATE FUNCTION webhook_deliveries_notify() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM queued) THEN
        PERFORM pg_notify('webhook_deliveries', '');
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER webhook_deliveries_notify AFTER INSERT ON webhook_deliveries
    REFERENCING NEW TABLE AS queued FOR EACH STATEMENT EXECUTE FUNCTION webhook_deliveries_notify();
