-- Webhook signing secrets sealed at rest (issue 10): secret_sealed holds the secret sealed under the tenant's key
-- (Mail.Storage.Keys.TenantSealer, bound to tenant and URL). Rows made before it keep their plain secret until
-- deleted; new rows store only the sealed form.
ALTER TABLE webhooks ADD COLUMN secret_sealed bytea NULL;
ALTER TABLE webhooks ALTER COLUMN secret DROP NOT NULL;
ALTER TABLE webhooks ADD CONSTRAINT webhooks_secret_present CHECK (secret IS NOT NULL OR secret_sealed IS NOT NULL);
