-- IMAP SAVEDATE (RFC 8514): when a message was placed in its folder (APPEND, delivery, COPY, MOVE, REPLACE), which the
-- internal date is not (COPY and MOVE keep it). Rows filed before this migration keep NULL, read as their internal date,
-- so no existing row is rewritten; new rows take the time of their insert, a MOVE sets it (MailboxGrain).
ALTER TABLE mailbox_messages ADD COLUMN saved_at timestamptz NULL;
ALTER TABLE mailbox_messages ALTER COLUMN saved_at SET DEFAULT now();
