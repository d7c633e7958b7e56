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

    /// <summary>Appends a change-log row; every state change has one, with its own MODSEQ.</summary>
    public void Change(MailboxChangeKind kind, int folderId, long modseq, long? messageId = null, long? uid = null) =>
        Add("INSERT INTO mailbox_changes (account_id, modseq, kind, folder_id, message_id, uid) VALUES (@a, @m, @k, @f, @id, @uid)",
            ("m", modseq), ("k", (short)kind), ("f", folderId), ("id", messageId), ("uid", uid));
}
