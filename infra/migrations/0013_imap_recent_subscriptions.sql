-- IMAP4rev1 \Recent (RFC 3501 §2.3.2): the first UID of a folder that no session has claimed as recent yet.
-- A read-write SELECT (or a selected session noticing new mail) moves it to UIDNEXT, so each message is
-- recent in exactly one session; existing folders start at 1 (their messages are recent once).
ALTER TABLE mailbox_folders ADD COLUMN first_recent_uid bigint NOT NULL DEFAULT 1;

-- Subscribed names that have no folder (RFC 9051 §6.3.7: a server does not remove a name from the
-- subscription list because its mailbox was deleted; LIST (SUBSCRIBED) shows it \NonExistent, RFC 5258).
-- A subscribed folder is marked on its own row; a name moves here when its folder is deleted and back
-- when a folder of that name is created.
CREATE TABLE mailbox_subscriptions (
    account_id  text NOT NULL REFERENCES mailboxes (account_id) ON DELETE CASCADE,
    name        text NOT NULL,
    PRIMARY KEY (account_id, name)
);
