-- IMAP ACL (RFC 4314): rights on a folder per identifier, written only by the owner's MailboxGrain (the single
-- writer of its folders, under its fencing epoch). An identifier is an address of an account of the same tenant,
-- "anyone" (every account of the tenant), or either of them with a leading "-" for negative rights (RFC 4314 §2).
-- grantee is what the identifier resolved to when it was set: the account id, or 'anyone'; rights are letters of
-- "lrswipkxtea" in that order. The owner is never stored: the owner always has every right.
CREATE TABLE mailbox_acl (
    account_id  text NOT NULL,
    folder_id   integer NOT NULL,
    identifier  text NOT NULL,
    tenant_id   text NOT NULL,
    grantee     text NOT NULL,
    rights      text NOT NULL,
    PRIMARY KEY (account_id, folder_id, identifier),
    -- Deferred: a write inserts its folder rows after its other commands (MailboxStore.CommitAsync), and a folder
    -- created below a shared one gets its parent's entries in the same write.
    FOREIGN KEY (account_id, folder_id) REFERENCES mailbox_folders (account_id, folder_id) ON DELETE CASCADE
        DEFERRABLE INITIALLY DEFERRED
);
-- The folders shared with an account (LIST of the "Other Users" namespace): by tenant and grantee.
CREATE INDEX mailbox_acl_grantee ON mailbox_acl (tenant_id, grantee);
