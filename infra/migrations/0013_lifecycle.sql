-- Lifecycle of mailbox history and message content (issue 11): the change log and the delivery ids are pruned
-- behind a horizon, and blobs no row references any more are collected after a grace period.

-- Change-log rows of a mailbox with modseq <= pruned_through may be gone. A consumer asking for changes after a
-- MODSEQ below it cannot be given a delta (it would silently miss what was pruned): it must resynchronize in full.
-- Written only together with the delete of those rows, in one transaction; no row means nothing was pruned.
CREATE TABLE mailbox_change_horizons (
    account_id     text PRIMARY KEY REFERENCES mailboxes (account_id) ON DELETE CASCADE,
    pruned_through bigint NOT NULL
);

-- When a delivery id was filed: ids older than the retention are forgotten (a retry that late is a new delivery).
-- Rows are appended in time order, so a BRIN index finds the old ones for a few pages of index.
ALTER TABLE mailbox_deliveries ADD COLUMN delivered_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX mailbox_deliveries_age ON mailbox_deliveries USING brin (delivered_at);

-- Which rows still reference a blob: the collector's check before it deletes one.
CREATE INDEX mailbox_messages_blob ON mailbox_messages (blob_name);
CREATE INDEX outbound_queue_blob ON outbound_queue (blob_name);

-- Blobs a row stopped referencing (an expunge, a deleted folder or mailbox, a pruned queue row), noted by the
-- triggers below in the transaction of the delete. released_at is the last such release: the collector deletes
-- the blob once the grace period has passed since then and, in the same transaction as dropping this row, finds
-- no row referencing it. A blob still referenced elsewhere (another recipient, a copy) just loses its row here;
-- the next release notes it again.
CREATE TABLE blob_releases (
    blob_name   text PRIMARY KEY,
    blob_tenant text NOT NULL,
    released_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX blob_releases_due ON blob_releases (released_at);

CREATE FUNCTION note_released_blobs() RETURNS trigger AS $$
BEGIN
    INSERT INTO blob_releases (blob_name, blob_tenant)
    SELECT DISTINCT ON (blob_name) blob_name, blob_tenant FROM released
    ON CONFLICT (blob_name) DO UPDATE SET released_at = now();
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

-- Statement-level with a transition table: one insert per DELETE statement, however many rows it removes.
CREATE TRIGGER mailbox_messages_release AFTER DELETE ON mailbox_messages
    REFERENCING OLD TABLE AS released FOR EACH STATEMENT EXECUTE FUNCTION note_released_blobs();
CREATE TRIGGER outbound_queue_release AFTER DELETE ON outbound_queue
    REFERENCING OLD TABLE AS released FOR EACH STATEMENT EXECUTE FUNCTION note_released_blobs();

-- The orphan sweep's progress: blobs written before written_before have been checked once. Orphans are blobs that
-- never got a row (a crash between the blob write and the commit, a failed APPEND or DATA), so only blobs written
-- since the last sweep need looking at.
CREATE TABLE blob_sweeps (
    id             integer PRIMARY KEY CHECK (id = 1),
    written_before timestamptz NOT NULL
);
