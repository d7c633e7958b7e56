using Mail.Grains.Interfaces.Mailboxes;
using Npgsql;

namespace Mail.Grains.Mailboxes;

/// <summary>
/// One atomic change to a mailbox being assembled: working copies of the counters and of the folders it
/// touches, and the SQL commands to run. Nothing in memory changes until the store has committed it.
/// </summary>
public sealed class MailboxWrite(string accountId, MailboxHead head, IReadOnlyDictionary<int, FolderHead> folders)
{
    private readonly Dictionary<int, FolderHead?> _folders = new();

    /// <summary>The account whose mailbox this writes.</summary>
    public string AccountId { get; } = accountId;

    /// <summary>The counters as they will be after the write.</summary>
    public MailboxHead Head { get; set; } = head;

    /// <summary>The folders this write changes; null marks a deleted folder.</summary>
    public IReadOnlyDictionary<int, FolderHead?> ChangedFolders => _folders;

    /// <summary>The commands to run after the fencing check, in order.</summary>
    public List<NpgsqlBatchCommand> Commands { get; } = [];

    /// <summary>The folder as this write sees it.</summary>
    public FolderHead Folder(int folderId) => _folders.TryGetValue(folderId, out var folder) ? folder! : folders[folderId];

    /// <summary>Records the new state of a folder.</summary>
    public void SetFolder(FolderHead folder) => _folders[folder.FolderId] = folder;

    /// <summary>Records that a folder is deleted.</summary>
    public void DeleteFolder(int folderId) => _folders[folderId] = null;

    /// <summary>Takes the next MODSEQ of the mailbox.</summary>
    public long NextModseq()
    {
        Head = Head with { HighestModseq = Head.HighestModseq + 1 };
        return Head.HighestModseq;
    }

    /// <summary>Appends a command.</summary>
    public void Add(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddWithValue("a", AccountId);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        Commands.Add(command);
    }

    /// <summary>What the write does to folder maps, in change-log order (see <see cref="MapEdit"/>).</summary>
    public List<MapEdit> MapEdits { get; } = [];

    /// <summary>The change-log rows of the write, in MODSEQ order: what its mailbox events report once it is committed.</summary>
    public List<LoggedChange> Logged { get; } = [];

    /// <summary>
    /// Appends a change-log row; every state change has one, with its own MODSEQ. A message's row also records its
    /// <see cref="MapEdit"/>, with <paramref name="flags"/> (the message's flags after the change) for an add or flag change.
    /// </summary>
    public void Change(MailboxChangeKind kind, int folderId, long modseq, long? messageId = null, long? uid = null, IReadOnlyList<string>? flags = null)
    {
        Add("INSERT INTO mailbox_changes (account_id, modseq, kind, folder_id, message_id, uid) VALUES (@a, @m, @k, @f, @id, @uid)",
            ("m", modseq), ("k", (short)kind), ("f", folderId), ("id", messageId), ("uid", uid));
        Record(kind, folderId, modseq, messageId, uid, flags);
    }

    /// <summary>Appends an Expunged change-log row for each message (by position in the arrays) in one statement, and their map edits.</summary>
    public void Expunged(long[] modseqs, int[] folderIds, long[] messageIds, long[] uids)
    {
        Add("""
            INSERT INTO mailbox_changes (account_id, modseq, kind, folder_id, message_id, uid)
            SELECT @a, m, @k, f, id, u FROM unnest(@ms, @fs, @ids, @us) AS t (m, f, id, u)
            """, ("ms", modseqs), ("k", (short)MailboxChangeKind.Expunged), ("fs", folderIds), ("ids", messageIds), ("us", uids));
        for (var i = 0; i < modseqs.Length; i++)
        {
            MapEdits.Add(new MapEdit(MailboxChangeKind.Expunged, folderIds[i], messageIds[i], uids[i], null));
            Logged.Add(new LoggedChange(MailboxChangeKind.Expunged, folderIds[i], modseqs[i], messageIds[i], uids[i], null));
        }
    }

    /// <summary>
    /// Records a change-log row written by other means (mailbox_deliver writes its own) at the write's latest MODSEQ:
    /// its map edit and its event.
    /// </summary>
    public void Track(MailboxChangeKind kind, int folderId, long? messageId, long? uid, IReadOnlyList<string>? flags) =>
        Record(kind, folderId, Head.HighestModseq, messageId, uid, flags);

    private void Record(MailboxChangeKind kind, int folderId, long modseq, long? messageId, long? uid, IReadOnlyList<string>? flags)
    {
        Logged.Add(new LoggedChange(kind, folderId, modseq, messageId, uid, flags));
        if (kind is MailboxChangeKind.Added or MailboxChangeKind.FlagsChanged or MailboxChangeKind.Expunged && messageId is { } id && uid is { } u)
        {
            MapEdits.Add(new MapEdit(kind, folderId, id, u, flags));
        }
    }
}
