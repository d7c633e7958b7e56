-- The header cache: the raw octets of the listing header fields (Mail.Mime.HeaderCache), so IMAP ENVELOPE,
-- HEADER.FIELDS, SORT and THREAD read no blob. NULL when the fields were not at hand or too long: those
-- messages are served from their blob as before.
ALTER TABLE mailbox_messages ADD COLUMN header_cache bytea NULL;

DROP FUNCTION mailbox_deliver(text, bigint, bigint, bigint, integer, bigint, bigint, text, bigint, integer, bigint,
    text[], text[], text, text, bigint, timestamptz, timestamptz, text, text[], text[], text, text, text[], text, boolean,
    bigint, integer, integer, bigint);

CREATE FUNCTION mailbox_deliver(
    p_account text, p_epoch bigint, p_highest_modseq bigint, p_next_message_id bigint, p_next_folder_id integer,
    p_quota_used bigint, p_message_count bigint, p_delivery_id text, p_message_id bigint, p_folder_id integer,
    p_uid bigint, p_flags text[], p_labels text[], p_blob_tenant text, p_blob_name text, p_size bigint,
    p_internal_date timestamptz, p_sent_date timestamptz, p_from text, p_to text[], p_cc text[], p_subject text,
    p_message_id_header text, p_refs text[], p_preview text, p_has_attachments boolean, p_header_cache bytea,
    p_folder_uid_next bigint, p_folder_message_count integer, p_folder_unseen_count integer, p_folder_total_size bigint)
RETURNS boolean AS $$
BEGIN
    INSERT INTO mailbox_deliveries (account_id, delivery_id, message_id) VALUES (p_account, p_delivery_id, p_message_id)
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    PERFORM mailbox_fence(p_account, p_epoch, p_highest_modseq, p_next_message_id, p_next_folder_id, p_quota_used, p_message_count);
    INSERT INTO mailbox_messages (account_id, message_id, folder_id, uid, modseq, flags, labels, thread_id, blob_tenant,
        blob_name, size, internal_date, sent_date, from_addr, to_addrs, cc_addrs, subject, message_id_header, refs,
        preview, has_attachments, header_cache)
    VALUES (p_account, p_message_id, p_folder_id, p_uid, p_highest_modseq, p_flags, p_labels,
        COALESCE((SELECT thread_id FROM mailbox_threads WHERE account_id = p_account AND message_id_header = ANY(p_refs) LIMIT 1), p_message_id),
        p_blob_tenant, p_blob_name, p_size, p_internal_date, p_sent_date, p_from, p_to, p_cc, p_subject, p_message_id_header,
        p_refs, p_preview, p_has_attachments, p_header_cache);
    IF p_message_id_header IS NOT NULL THEN
        INSERT INTO mailbox_threads (account_id, message_id_header, thread_id)
        SELECT p_account, p_message_id_header, thread_id FROM mailbox_messages WHERE account_id = p_account AND message_id = p_message_id
        ON CONFLICT DO NOTHING;
    END IF;
    INSERT INTO mailbox_changes (account_id, modseq, kind, folder_id, message_id, uid)
    VALUES (p_account, p_highest_modseq, 1, p_folder_id, p_message_id, p_uid);
    UPDATE mailbox_folders
       SET uid_next = p_folder_uid_next, highest_modseq = p_highest_modseq, message_count = p_folder_message_count,
           unseen_count = p_folder_unseen_count, total_size = p_folder_total_size
     WHERE account_id = p_account AND folder_id = p_folder_id;
    RETURN true;
END
$$ LANGUAGE plpgsql;
