using Mail.Grains.Interfaces.Mailboxes;
using Npgsql;

namespace Mail.Grains.Mailboxes;

/// <summary>A message row as read from mailbox_messages, with its folder id.</summary>
public sealed record MessageRow(int FolderId, MessageRecord Record)
{
    /// <summary>The columns <see cref="Read"/> expects, in order.</summary>
    public const string Columns =
        "message_id, folder_id, uid, modseq, flags, labels, thread_id, blob_tenant, blob_name, size, internal_date, " +
        "sent_date, from_addr, to_addrs, cc_addrs, subject, message_id_header, refs, preview, has_attachments";

    /// <summary>Maps the current reader row; <paramref name="folderName"/> names a folder id.</summary>
    public static MessageRow Read(NpgsqlDataReader reader, Func<int, string> folderName)
    {
        var folderId = reader.GetInt32(1);
        var size = reader.GetInt64(9);
        var summary = new MessageSummary(
            From: reader.GetString(12),
            To: reader.GetFieldValue<string[]>(13),
            Cc: reader.GetFieldValue<string[]>(14),
            Subject: reader.GetString(15),
            Date: reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11),
            MessageIdHeader: reader.IsDBNull(16) ? null : reader.GetString(16),
            References: reader.GetFieldValue<string[]>(17),
            Preview: reader.GetString(18),
            HasAttachments: reader.GetBoolean(19));
        var record = new MessageRecord(
            MessageId: reader.GetInt64(0),
            Folder: folderName(folderId),
            Uid: reader.GetInt64(2),
            Modseq: reader.GetInt64(3),
            Flags: reader.GetFieldValue<string[]>(4),
            Labels: reader.GetFieldValue<string[]>(5),
            ThreadId: reader.GetInt64(6),
            Blob: new StoredBlob(reader.GetString(7), reader.GetString(8), size),
            Size: size,
            InternalDate: reader.GetFieldValue<DateTimeOffset>(10),
            Summary: summary);
        return new MessageRow(folderId, record);
    }
}
