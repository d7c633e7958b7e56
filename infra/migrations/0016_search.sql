-- Full-text search (issue 13): one search document per message, written by the search indexer from the message row
-- and its blob, and read only joined with the live row (so flags, labels and folder filter from the row, and expunged
-- mail is gone from results at once). What is in clear here is listed in the README (Search, stored in clear).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE TABLE search_documents (
    account_id     text NOT NULL,
    message_id     bigint NOT NULL,
    internal_date  timestamptz NOT NULL,
    -- Lower-cased header text searched by substring (from:, to:, filename: ...), as Gmail does, through trigrams.
    from_text      text NOT NULL,
    to_text        text NOT NULL,
    cc_text        text NOT NULL,
    bcc_text       text NOT NULL,
    list_text      text NOT NULL,
    delivered_text text NOT NULL,
    filenames      text NOT NULL,
    -- Words: the configured language (stemmed) concatenated with 'simple' (exact words, names, codes).
    subject_tsv    tsvector NOT NULL,
    tsv            tsvector NOT NULL,
    indexed_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, message_id)
) PARTITION BY HASH (account_id);

DO $$
DECLARE
    i integer;
BEGIN
    FOR i IN 0..7 LOOP
        EXECUTE format('CREATE TABLE search_documents_p%s PARTITION OF search_documents FOR VALUES WITH (MODULUS 8, REMAINDER %s)', i, i);
    END LOOP;
END $$;

-- account_id leads every index (btree_gin), so one mailbox's matches are found without touching another's.
CREATE INDEX search_documents_tsv ON search_documents USING gin (account_id, tsv);
CREATE INDEX search_documents_subject ON search_documents USING gin (account_id, subject_tsv);
CREATE INDEX search_documents_from ON search_documents USING gin (account_id, from_text gin_trgm_ops);
CREATE INDEX search_documents_to ON search_documents USING gin (account_id, to_text gin_trgm_ops);
CREATE INDEX search_documents_filenames ON search_documents USING gin (account_id, filenames gin_trgm_ops);
CREATE INDEX search_documents_date ON search_documents (account_id, internal_date DESC, message_id DESC);

-- How far each mailbox's change log has been indexed: the indexer resumes after this MODSEQ.
CREATE TABLE search_progress (
    account_id  text PRIMARY KEY,
    modseq      bigint NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
