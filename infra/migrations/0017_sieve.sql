-- Threads, labels as IMAP keywords, and Sieve filters (issue #13).

-- Threads. A message joins the thread of the first of its Message-ID, In-Reply-To and References ids that the
-- mailbox knows (mailbox_threads maps every id seen, referenced ones too, so two replies to a message that never
-- arrived share a thread, and a parent that arrives after its reply joins it). Without one, it joins the newest
-- message with the same base subject (RFC 5256 §2.1, ASCII upper-cased) that arrived within the window and in which
-- the new message's sender took part (was its From, To or Cc); otherwise it starts a thread of its own (thread id =
-- its message id). The sender, not any participant, because every message shares the mailbox owner.
ALTER TABLE mailbox_messages ADD COLUMN thread_subject text NULL, ADD COLUMN participants text[] NULL;
CREATE INDEX mailbox_messages_thread ON mailbox_messages (account_id, thread_id);
CREATE INDEX mailbox_messages_thread_subject ON mailbox_messages (account_id, thread_subject, internal_date DESC)
    WHERE thread_subject IS NOT NULL;

-- Labels are IMAP keywords (see Mail.Grains.Mailboxes.LabelKeyword): the flags column is the truth, the labels column
-- is the decoded copy the grain writes beside it. Labels set before this migration become keywords here.
CREATE FUNCTION mail_label_keyword(label text) RETURNS text AS $$
DECLARE
    octets bytea := convert_to(label, 'UTF8');
    result text := '';
    c integer;
BEGIN
    FOR i IN 0..length(octets) - 1 LOOP
        c := get_byte(octets, i);
        IF c BETWEEN 33 AND 126 AND chr(c) NOT IN ('(', ')', '{', '%', '*', '"', '\', ']', '&') THEN
            result := result || chr(c);
        ELSE
            result := result || '&' || upper(lpad(to_hex(c), 2, '0'));
        END IF;
    END LOOP;
    RETURN result;
END
$$ LANGUAGE plpgsql IMMUTABLE;
UPDATE mailbox_messages
   SET flags = flags || ARRAY(SELECT mail_label_keyword(l) FROM unnest(labels) AS l WHERE NOT mail_label_keyword(l) = ANY(flags))
 WHERE cardinality(labels) > 0;
DROP FUNCTION mail_label_keyword(text);

DROP FUNCTION mailbox_deliver(text, bigint, bigint, bigint, integer, bigint, bigint, text, bigint, integer, bigint,
    text[], text[], text, text, bigint, timestamptz, timestamptz, text, text[], text[], text, text, text[], text, boolean, bytea,
    bigint, integer, integer, bigint);

CREATE FUNCTION mailbox_deliver(
    p_account text, p_epoch bigint, p_highest_modseq bigint, p_next_message_id bigint, p_next_folder_id integer,
    p_quota_used bigint, p_message_count bigint, p_delivery_id text, p_message_id bigint, p_folder_id integer,
    p_uid bigint, p_flags text[], p_labels text[], p_blob_tenant text, p_blob_name text, p_size bigint,
    p_internal_date timestamptz, p_sent_date timestamptz, p_from text, p_to text[], p_cc text[], p_subject text,
    p_message_id_header text, p_refs text[], p_preview text, p_has_attachments boolean, p_header_cache bytea,
    p_folder_uid_next bigint, p_folder_message_count integer, p_folder_unseen_count integer, p_folder_total_size bigint,
    p_thread_subject text, p_participants text[], p_sender text, p_thread_window interval)
RETURNS boolean AS $$
DECLARE
    v_ids text[] := CASE WHEN p_message_id_header IS NULL THEN p_refs ELSE p_message_id_header || p_refs END;
    v_thread bigint;
BEGIN
    INSERT INTO mailbox_deliveries (account_id, delivery_id, message_id) VALUES (p_account, p_delivery_id, p_message_id)
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    PERFORM mailbox_fence(p_account, p_epoch, p_highest_modseq, p_next_message_id, p_next_folder_id, p_quota_used, p_message_count);
    SELECT t.thread_id INTO v_thread
      FROM unnest(v_ids) WITH ORDINALITY AS r (id, n)
      JOIN mailbox_threads t ON t.account_id = p_account AND t.message_id_header = r.id
     ORDER BY r.n LIMIT 1;
    IF v_thread IS NULL AND p_thread_subject IS NOT NULL AND p_sender IS NOT NULL THEN
        SELECT thread_id INTO v_thread FROM mailbox_messages
         WHERE account_id = p_account AND thread_subject = p_thread_subject
           AND internal_date >= p_internal_date - p_thread_window AND p_sender = ANY(participants)
         ORDER BY internal_date DESC LIMIT 1;
    END IF;
    v_thread := COALESCE(v_thread, p_message_id);
    INSERT INTO mailbox_messages (account_id, message_id, folder_id, uid, modseq, flags, labels, thread_id, blob_tenant,
        blob_name, size, internal_date, sent_date, from_addr, to_addrs, cc_addrs, subject, message_id_header, refs,
        preview, has_attachments, header_cache, thread_subject, participants)
    VALUES (p_account, p_message_id, p_folder_id, p_uid, p_highest_modseq, p_flags, p_labels, v_thread,
        p_blob_tenant, p_blob_name, p_size, p_internal_date, p_sent_date, p_from, p_to, p_cc, p_subject, p_message_id_header,
        p_refs, p_preview, p_has_attachments, p_header_cache, p_thread_subject, p_participants);
    INSERT INTO mailbox_threads (account_id, message_id_header, thread_id)
    SELECT DISTINCT p_account, id, v_thread FROM unnest(v_ids) AS id
    ON CONFLICT DO NOTHING;
    INSERT INTO mailbox_changes (account_id, modseq, kind, folder_id, message_id, uid)
    VALUES (p_account, p_highest_modseq, 1, p_folder_id, p_message_id, p_uid);
    UPDATE mailbox_folders
       SET uid_next = p_folder_uid_next, highest_modseq = p_highest_modseq, message_count = p_folder_message_count,
           unseen_count = p_folder_unseen_count, total_size = p_folder_total_size
     WHERE account_id = p_account AND folder_id = p_folder_id;
    RETURN true;
END
$$ LANGUAGE plpgsql;

-- Sieve scripts (RFC 5228), managed over the API and ManageSieve (RFC 5804); at most one active per account.
CREATE TABLE sieve_scripts (
    account_id  text NOT NULL,
    name        text NOT NULL,
    content     text NOT NULL,
    active      boolean NOT NULL DEFAULT false,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, name)
);
CREATE UNIQUE INDEX sieve_scripts_active ON sieve_scripts (account_id) WHERE active;

-- Vacation replies sent (RFC 5230 §4.2): one per sender and handle within :days.
CREATE TABLE sieve_vacation_replies (
    account_id  text NOT NULL,
    handle      text NOT NULL,
    sender      text NOT NULL,
    sent_at     timestamptz NOT NULL,
    PRIMARY KEY (account_id, handle, sender)
);
