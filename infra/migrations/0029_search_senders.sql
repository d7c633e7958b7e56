-- Search latency (issue 13): from: through a per-account dictionary of distinct senders instead of the trigram index.
-- A sender's substring matched through the (account_id, from_text) trigram GIN index cost 13-25 ms at 100,000
-- messages: the account's key lists every document, and every match is rechecked on its heap row. A mailbox has far
-- fewer distinct senders than messages, so from: first matches the substring against the account's distinct From
-- texts (search_senders), then reads each matching sender's documents newest first from a btree on its key, index
-- only (README: Search, "Senders"). The key is the MD5 of the lower-cased From text, as a uuid: fixed width whatever
-- the header's length (a btree entry cannot exceed about 2.7 KB).
ALTER TABLE search_documents ADD COLUMN from_key uuid GENERATED ALWAYS AS (md5(from_text)::uuid) STORED;

CREATE INDEX search_documents_from_key ON search_documents (account_id, from_key, internal_date DESC, message_id DESC);

-- Written with the documents (one statement); a sender left without documents is removed by the indexer's orphan sweep.
CREATE TABLE search_senders (
    account_id text NOT NULL,
    from_key   uuid NOT NULL,
    from_text  text NOT NULL,
    PRIMARY KEY (account_id, from_key)
);

INSERT INTO search_senders (account_id, from_key, from_text)
SELECT DISTINCT ON (account_id, from_key) account_id, from_key, from_text FROM search_documents;
