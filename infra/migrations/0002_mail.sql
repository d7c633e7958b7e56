-- Mail schema: directory, mailboxes (written only by their MailboxGrain), change log, outbound queue.
-- Per-mailbox tables are hash-partitioned by account so that each partition stays small and a
-- later move of partitions to other servers (Citus, a shard map) needs no schema change.

CREATE TABLE directory_domains (
    domain      text PRIMARY KEY,
    tenant_id   text NOT NULL,
    created_at  timestamptz NOT NULL
);

CREATE TABLE directory_accounts (
    account_id  text PRIMARY KEY,
    tenant_id   text NOT NULL,
    address     text NOT NULL UNIQUE,
    domain      text NOT NULL,
    quota_bytes bigint NOT NULL,
    suspended   boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL
);
CREATE INDEX directory_accounts_domain ON directory_accounts (domain, address);

CREATE TABLE directory_aliases (
    address     text PRIMARY KEY,
    domain      text NOT NULL,
    account_id  text NOT NULL,
    tenant_id   text NOT NULL
);
CREATE INDEX directory_aliases_domain ON directory_aliases (domain);

CREATE TABLE mailboxes (
    account_id      text PRIMARY KEY,
    tenant_id       text NOT NULL,
    epoch           bigint NOT NULL DEFAULT 0,
    highest_modseq  bigint NOT NULL DEFAULT 0,
    next_message_id bigint NOT NULL DEFAULT 1,
    next_folder_id  integer NOT NULL DEFAULT 1,
    quota_limit     bigint NOT NULL,
    quota_used      bigint NOT NULL DEFAULT 0,
    message_count   bigint NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE mailbox_folders (
    account_id      text NOT NULL REFERENCES mailboxes (account_id) ON DELETE CASCADE,
    folder_id       integer NOT NULL,
    name            text NOT NULL,
    special_use     text NULL,
    uid_validity    bigint NOT NULL,
    uid_next        bigint NOT NULL DEFAULT 1,
    highest_modseq  bigint NOT NULL DEFAULT 0,
    message_count   integer NOT NULL DEFAULT 0,
    unseen_count    integer NOT NULL DEFAULT 0,
    total_size      bigint NOT NULL DEFAULT 0,
    subscribed      boolean NOT NULL DEFAULT true,
    PRIMARY KEY (account_id, folder_id),
    UNIQUE (account_id, name)
);

CREATE TABLE mailbox_messages (
    account_id        text NOT NULL,
    message_id        bigint NOT NULL,
    folder_id         integer NOT NULL,
    uid               bigint NOT NULL,
    modseq            bigint NOT NULL,
    flags             text[] NOT NULL DEFAULT '{}',
    labels            text[] NOT NULL DEFAULT '{}',
    thread_id         bigint NOT NULL,
    blob_tenant       text NOT NULL,
    blob_name         text NOT NULL,
    size              bigint NOT NULL,
    internal_date     timestamptz NOT NULL,
    sent_date         timestamptz NULL,
    from_addr         text NOT NULL,
    to_addrs          text[] NOT NULL,
    cc_addrs          text[] NOT NULL,
    subject           text NOT NULL,
    message_id_header text NULL,
    refs              text[] NOT NULL,
    preview           text NOT NULL,
    has_attachments   boolean NOT NULL,
    PRIMARY KEY (account_id, message_id)
) PARTITION BY HASH (account_id);
CREATE UNIQUE INDEX mailbox_messages_uid ON mailbox_messages (account_id, folder_id, uid);
CREATE INDEX mailbox_messages_date ON mailbox_messages (account_id, folder_id, internal_date DESC, message_id DESC);

CREATE TABLE mailbox_changes (
    account_id  text NOT NULL,
    modseq      bigint NOT NULL,
    kind        smallint NOT NULL,
    folder_id   integer NOT NULL,
    message_id  bigint NULL,
    uid         bigint NULL,
    changed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, modseq)
) PARTITION BY HASH (account_id);

-- Which delivery ids a mailbox has filed, so a retried delivery writes nothing.
CREATE TABLE mailbox_deliveries (
    account_id  text NOT NULL,
    delivery_id text NOT NULL,
    message_id  bigint NOT NULL,
    PRIMARY KEY (account_id, delivery_id)
) PARTITION BY HASH (account_id);

-- Message-ID header -> thread, so replies join the thread of what they reference.
CREATE TABLE mailbox_threads (
    account_id        text NOT NULL,
    message_id_header text NOT NULL,
    thread_id         bigint NOT NULL,
    PRIMARY KEY (account_id, message_id_header)
) PARTITION BY HASH (account_id);

DO $$
DECLARE
    t text;
    i integer;
BEGIN
    FOREACH t IN ARRAY ARRAY['mailbox_messages', 'mailbox_changes', 'mailbox_deliveries', 'mailbox_threads'] LOOP
        FOR i IN 0..7 LOOP
            EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES WITH (MODULUS 8, REMAINDER %s)', t || '_p' || i, t, i);
        END LOOP;
    END LOOP;
END $$;

-- Remote recipients wait here for the outbound sender; a row is never dropped silently.
CREATE TABLE outbound_queue (
    id                bigserial PRIMARY KEY,
    submission_id     text NOT NULL,
    sender_account_id text NULL,
    envelope_from     text NOT NULL,
    recipient         text NOT NULL,
    blob_tenant       text NOT NULL,
    blob_name         text NOT NULL,
    blob_length       bigint NOT NULL,
    status            text NOT NULL DEFAULT 'queued',
    attempts          integer NOT NULL DEFAULT 0,
    created_at        timestamptz NOT NULL DEFAULT now(),
    next_attempt_at   timestamptz NOT NULL DEFAULT now(),
    last_error        text NULL,
    UNIQUE (submission_id, recipient)
);
CREATE INDEX outbound_queue_due ON outbound_queue (next_attempt_at) WHERE status = 'queued';
CREATE INDEX outbound_queue_sender ON outbound_queue (sender_account_id, id DESC);

-- The fencing check of every mailbox write: advances the mailbox counters only if the writer still
-- holds the epoch it took on activation, and otherwise aborts the whole batch it is part of.
CREATE FUNCTION mailbox_fence(
    p_account text, p_epoch bigint, p_highest_modseq bigint, p_next_message_id bigint,
    p_next_folder_id integer, p_quota_used bigint, p_message_count bigint) RETURNS void AS $$
BEGIN
    UPDATE mailboxes
       SET highest_modseq = p_highest_modseq, next_message_id = p_next_message_id,
           next_folder_id = p_next_folder_id, quota_used = p_quota_used, message_count = p_message_count
     WHERE account_id = p_account AND epoch = p_epoch;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'mailbox % is fenced: epoch % is no longer current', p_account, p_epoch USING ERRCODE = 'ML001';
    END IF;
END
$$ LANGUAGE plpgsql;
