namespace Mail.Bench.Seeding;

/// <summary>
/// The statements of seed-mailbox. Parameters: @a account, @address, @count, @m first message id, @h modseq before,
/// @f INBOX folder id, @u first UID, @bt/@bn blob, @seen the \Seen flag, @added the change kind, @now.
/// </summary>
public static class SeedSql
{
    /// <summary>One row per message in each per-message table, as MailboxGrain.DeliverAsync writes them.</summary>
    public static readonly string[] Inserts =
    [
        // Sizes 9-11 KB (mean 10 KB); one in five unread; a week of mail every ~6 s back from now.
        """
        INSERT INTO mailbox_messages (account_id, message_id, folder_id, uid, modseq, flags, labels, thread_id, blob_tenant, blob_name,
            size, internal_date, sent_date, from_addr, to_addrs, cc_addrs, subject, message_id_header, refs, preview, has_attachments)
        SELECT @a, @m + i, @f, @u + i, @h + 1 + i,
               CASE WHEN i % 5 = 0 THEN '{}'::text[] ELSE ARRAY[@seen::text] END, '{}', @m + i, @bt, @bn,
               9216 + (i::bigint * 7919) % 2048, @now - make_interval(secs => (@count - i) * 6), @now - make_interval(secs => (@count - i) * 6 + 2),
               'sender' || (i % 997) || '@seed.invalid', ARRAY[@address::text], '{}', 'Seeded message ' || i,
               '<seed-' || i || '.' || @a || '@seed.invalid>', '{}', 'Seeded message ' || i || ': the meeting moved to thursday', false
        FROM generate_series(0, @count - 1) AS i
        """,
        """
        INSERT INTO mailbox_deliveries (account_id, delivery_id, message_id)
        SELECT @a, 'seed/' || (@m + i), @m + i FROM generate_series(0, @count - 1) AS i
        """,
        """
        INSERT INTO mailbox_threads (account_id, message_id_header, thread_id)
        SELECT @a, '<seed-' || i || '.' || @a || '@seed.invalid>', @m + i FROM generate_series(0, @count - 1) AS i
        """,
        """
        INSERT INTO mailbox_changes (account_id, modseq, kind, folder_id, message_id, uid, changed_at)
        SELECT @a, @h + 1 + i, @added, @f, @m + i, @u + i, @now - make_interval(secs => (@count - i) * 6)
        FROM generate_series(0, @count - 1) AS i
        """,
    ];

    /// <summary>INBOX counters recomputed from its rows.</summary>
    public const string FolderCounters =
        """
        UPDATE mailbox_folders AS f
           SET uid_next = GREATEST(f.uid_next, s.max_uid + 1),
               highest_modseq = GREATEST(f.highest_modseq, s.max_modseq),
               message_count = s.n, unseen_count = s.unseen, total_size = s.total
          FROM (SELECT count(*) AS n, count(*) FILTER (WHERE NOT (@seen::text = ANY(flags))) AS unseen,
                       COALESCE(sum(size), 0) AS total, COALESCE(max(uid), 0) AS max_uid, COALESCE(max(modseq), 0) AS max_modseq
                  FROM mailbox_messages WHERE account_id = @a AND folder_id = @f) AS s
         WHERE f.account_id = @a AND f.folder_id = @f
        """;

    /// <summary>Mailbox counters recomputed from all its rows.</summary>
    public const string MailboxCounters =
        """
        UPDATE mailboxes
           SET highest_modseq = GREATEST(highest_modseq, (SELECT COALESCE(max(modseq), 0) FROM mailbox_changes WHERE account_id = @a)),
               next_message_id = GREATEST(next_message_id, (SELECT COALESCE(max(message_id), 0) + 1 FROM mailbox_messages WHERE account_id = @a)),
               message_count = (SELECT count(*) FROM mailbox_messages WHERE account_id = @a),
               quota_used = (SELECT COALESCE(sum(size), 0) FROM mailbox_messages WHERE account_id = @a)
         WHERE account_id = @a
        """;
}
