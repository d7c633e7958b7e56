-- The outbound MTA's per-recipient state (issue 9). Each row is one remote recipient of one queued
-- message; its status, retry schedule and the remote's last reply live in the row, and every state
-- change rewrites next_attempt_at in the same statement, so the due index is the scheduler's only read.
--
--   status      queued (waiting or deferred: attempts > 0), delivered, failed, cancelled
--   next_attempt_at  when the row is due; a dispatched row is leased by moving it into the future, and
--                    its holder keeps extending it while the row waits or is being sent
--   lease_token      identifies the lease of a row in flight (the instant it was first granted until); the
--                    lease holds while next_attempt_at is in the future; NULL when none was taken
--   dsn_pending 'failed' or 'delayed' while a DSN for the row is owed to the local sender: set in the
--               same statement as the failure, cleared after the DSN is filed (the DSN's delivery id is
--               derived from the rows, so a crash between the two files nothing twice)
ALTER TABLE outbound_queue RENAME COLUMN last_error TO last_reply;
ALTER TABLE outbound_queue
    ADD COLUMN domain text NULL,
    ADD COLUMN return_path text NULL,
    ADD COLUMN verp_token text NULL,
    ADD COLUMN dkim_signature text NULL,
    ADD COLUMN expires_at timestamptz NULL,
    ADD COLUMN last_attempt_at timestamptz NULL,
    ADD COLUMN remote_mta text NULL,
    ADD COLUMN status_code text NULL,
    ADD COLUMN dsn_pending text NULL,
    ADD COLUMN delay_warned boolean NOT NULL DEFAULT false,
    ADD COLUMN lease_token timestamptz NULL,
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

UPDATE outbound_queue
   SET domain = lower(split_part(recipient, '@', 2)),
       return_path = envelope_from,
       expires_at = created_at + interval '120 hours';

ALTER TABLE outbound_queue
    ALTER COLUMN domain SET NOT NULL,
    ALTER COLUMN return_path SET NOT NULL,
    ALTER COLUMN expires_at SET NOT NULL;

CREATE INDEX outbound_queue_verp ON outbound_queue (verp_token) WHERE verp_token IS NOT NULL;
CREATE INDEX outbound_queue_dsn ON outbound_queue (submission_id) WHERE dsn_pending IS NOT NULL;
CREATE INDEX outbound_queue_state ON outbound_queue (status, id DESC);
CREATE INDEX outbound_queue_domain ON outbound_queue (domain, id DESC);
