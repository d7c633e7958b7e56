-- Sender reputation (issue 10): IP pools with warm-up, traffic shaping, automation and rolling counters.
--
-- Every queue row now says whose mail it is and how it left, so counters, holds and later feedback (complaints,
-- asynchronous bounces found by VERP token) can be attributed to tenant, sending domain, source IP and provider:
--   tenant_id       the sending tenant (the tenant the content is stored under)
--   sending_domain  the envelope sender's domain (NULL for a null reverse-path)
--   stream_class    transactional or marketing (POST /v1/send "class", the X-Mail-Class header)
--   pool, source_ip, provider   set when the pool grants the row a source IP (provider: gmail, microsoft, yahoo, other)
--   hold_reason     why a row waits without having spent an attempt (a warm-up cap, a paused IP or tenant, a
--                   throttle); cleared when the row is leased again
ALTER TABLE outbound_queue
    ADD COLUMN tenant_id text NULL,
    ADD COLUMN sending_domain text NULL,
    ADD COLUMN stream_class text NULL,
    ADD COLUMN pool text NULL,
    ADD COLUMN source_ip text NULL,
    ADD COLUMN provider text NULL,
    ADD COLUMN hold_reason text NULL;

UPDATE outbound_queue
   SET tenant_id = blob_tenant,
       sending_domain = NULLIF(lower(split_part(envelope_from, '@', 2)), '');

-- An operator's lift or resume makes the rows held for that tenant or pool due at once.
CREATE INDEX outbound_queue_held_tenant ON outbound_queue (tenant_id) WHERE status = 'queued' AND hold_reason IS NOT NULL;
CREATE INDEX outbound_queue_held_pool ON outbound_queue (pool) WHERE status = 'queued' AND hold_reason IS NOT NULL;

-- Source IPs. Configuration (Mail:Reputation:Pools) seeds a row the first time it names an IP; from then on the row
-- is the truth for what operators change: the pool an IP was moved to, a pause, the warm-up day.
--   warmup_started_on  day 1 of the IP's warm-up; NULL: warmed (full volume, no caps)
--   last_used_at       the last hour the IP sent; unused for Mail:Reputation:IdleDaysBeforeRewarm days, it warms up again
CREATE TABLE ip_addresses (
    ip                text PRIMARY KEY,
    pool              text NOT NULL,
    paused            boolean NOT NULL DEFAULT false,
    paused_reason     text NULL,
    warmup_started_on date NULL,
    last_used_at      timestamptz NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ip_addresses_pool ON ip_addresses (pool);

-- A pool's warm-up schedule as an operator set it (JSON of WarmupScheduleSpec); without a row, configuration's.
CREATE TABLE ip_pool_schedules (
    pool       text PRIMARY KEY,
    schedule   jsonb NOT NULL,
    updated_at timestamptz NOT NULL
);

-- Messages each IP was granted per receiving provider and hour: the warm-up caps count these.
CREATE TABLE ip_usage (
    ip       text NOT NULL,
    provider text NOT NULL,
    hour     timestamptz NOT NULL,
    messages integer NOT NULL,
    PRIMARY KEY (ip, provider, hour)
);

-- Expiring overrides automation rules layer over the static shaping: a throttle to a rate, or a suspension.
CREATE TABLE ip_overrides (
    ip       text NOT NULL,
    provider text NOT NULL,
    kind     text NOT NULL,
    rate     text NULL,
    until    timestamptz NOT NULL,
    rule     text NOT NULL,
    PRIMARY KEY (ip, provider, kind)
);

-- Rolling counters in hourly buckets: scope 'ip' (subject = IP, per provider), 'tenant' and 'domain' (provider '').
CREATE TABLE reputation_counters (
    scope        text NOT NULL,
    subject      text NOT NULL,
    provider     text NOT NULL,
    hour         timestamptz NOT NULL,
    sent         bigint NOT NULL DEFAULT 0,
    delivered    bigint NOT NULL DEFAULT 0,
    deferred     bigint NOT NULL DEFAULT 0,
    hard_bounces bigint NOT NULL DEFAULT 0,
    soft_bounces bigint NOT NULL DEFAULT 0,
    complaints   bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, subject, provider, hour)
);
CREATE INDEX reputation_counters_hour ON reputation_counters (hour);

-- What automation, thresholds and operators did, with the reply that caused it.
CREATE TABLE reputation_events (
    id       bigserial PRIMARY KEY,
    at       timestamptz NOT NULL,
    source   text NOT NULL,
    action   text NOT NULL,
    pool     text NULL,
    ip       text NULL,
    provider text NULL,
    tenant   text NULL,
    rule     text NULL,
    until    timestamptz NULL,
    reply    text NULL,
    detail   text NOT NULL
);
CREATE INDEX reputation_events_ip ON reputation_events (ip, id DESC) WHERE ip IS NOT NULL;
CREATE INDEX reputation_events_tenant ON reputation_events (tenant, id DESC) WHERE tenant IS NOT NULL;

-- A tenant's sending standing: ok, throttled (flagged for review), paused (by the rates, until an operator lifts
-- it) or suspended (by an automation rule, until "until").
CREATE TABLE tenant_reputation (
    tenant     text PRIMARY KEY,
    state      text NOT NULL,
    reason     text NULL,
    since      timestamptz NULL,
    until      timestamptz NULL,
    review     boolean NOT NULL DEFAULT false,
    lifted_at  timestamptz NULL,
    updated_at timestamptz NOT NULL
);
