-- Bulk sending (issue 10). A job is stored whole before POST /v1/bulk answers 202; a background runner
-- then personalises, signs and queues its recipients page by page, so memory never follows the job's size.
--
--   bulk_jobs.state   receiving  the request is still streaming its recipients in (never shown; an abandoned
--                                one is deleted by the runner after an hour)
--                     ready      stored, waiting for a runner
--                     running    a runner holds it (lease_until) and is queuing its recipients
--                     done       every recipient was queued, skipped or refused
--                     cancelled  DELETE /v1/bulk/{id}: nothing more is queued
--   bulk_recipients.state  pending, queued (its outbound_queue row tells what happened next), suppressed,
--                          cancelled, failed (the message could not be made)
CREATE TABLE bulk_jobs (
    id              uuid PRIMARY KEY,
    tenant_id       text NOT NULL,
    state           text NOT NULL,
    mail_class      text NULL,
    from_address    text NULL,
    from_name       text NULL,
    subject         text NULL,
    text_body       text NULL,
    html_body       text NULL,
    recipient_count integer NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL,
    submitted_at    timestamptz NULL,
    finished_at     timestamptz NULL,
    lease_until     timestamptz NULL
);
CREATE INDEX bulk_jobs_runnable ON bulk_jobs (submitted_at) WHERE state IN ('ready', 'running');
CREATE INDEX bulk_jobs_receiving ON bulk_jobs (created_at) WHERE state = 'receiving';

-- vars is the recipient's substitutions as a JSON object of strings, kept as text: it is only ever read back whole.
CREATE TABLE bulk_recipients (
    job_id  uuid NOT NULL REFERENCES bulk_jobs (id) ON DELETE CASCADE,
    seq     integer NOT NULL,
    address text NOT NULL,
    vars    text NULL,
    state   text NOT NULL DEFAULT 'pending',
    detail  text NULL,
    PRIMARY KEY (job_id, seq)
);
CREATE INDEX bulk_recipients_pending ON bulk_recipients (job_id, seq) WHERE state = 'pending';

-- Each queued bulk message names its job, so a job's delivery counts and its cancellation read one index.
ALTER TABLE outbound_queue ADD COLUMN bulk_job_id uuid NULL;
CREATE INDEX outbound_queue_bulk ON outbound_queue (bulk_job_id, status) WHERE bulk_job_id IS NOT NULL;
