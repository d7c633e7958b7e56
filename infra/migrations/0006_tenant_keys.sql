-- Tenant keys (issue 12, data at rest). Each tenant has numbered key versions; every blob header and every
-- sealed DKIM key names the version it was encrypted under, so a new version never forces old data to be
-- rewritten. A key is stored only wrapped (AES-256-GCM) under a version of the master key, which lives outside
-- the database (a key file or Azure Key Vault); master_key_id names that version, so the master key can rotate
-- by re-wrapping these rows alone.
--
--   version        0 = a key imported from the per-tenant key files of earlier releases (blobs and DKIM keys
--                  written before versions existed name none and mean 0); new tenants start at 1
--   master_key_id  the master key version the key is wrapped under ("1", "2", ... for the key file; the secret
--                  version for Key Vault)
--   wrapped_key    format byte 1, 12-byte nonce, 16-byte tag, 32-byte ciphertext; the associated data binds the
--                  tenant, the version and master_key_id, so a row copied to another tenant or version fails
CREATE TABLE tenant_keys (
    tenant_id     text        NOT NULL,
    version       integer     NOT NULL CHECK (version >= 0),
    master_key_id text        NOT NULL,
    wrapped_key   bytea       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    rewrapped_at  timestamptz NULL,
    PRIMARY KEY (tenant_id, version)
);

-- A master key rotation finds the rows still wrapped under other versions.
CREATE INDEX tenant_keys_master ON tenant_keys (master_key_id);
