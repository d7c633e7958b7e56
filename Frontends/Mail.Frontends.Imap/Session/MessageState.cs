namespace Mail.Frontends.Imap.Session;

/// <summary>What a session knows of one message of the selected mailbox: its slot, as last announced to the client.</summary>
public sealed class MessageState(long messageId, long uid, long modseq, IReadOnlyList<string> flags, long size, DateTimeOffset internalDate)
{
    /// <summary>The grain's message id.</summary>
    public long MessageId { get; } = messageId;

    /// <summary>UID in the folder.</summary>
    public long Uid { get; } = uid;

    /// <summary>MODSEQ of the last change the client was told about.</summary>
    public long Modseq { get; set; } = modseq;

    /// <summary>Flags as the client knows them.</summary>
    public IReadOnlyList<string> Flags { get; set; } = flags;

    /// <summary>RFC822.SIZE.</summary>
    public long Size { get; } = size;

    /// <summary>INTERNALDATE.</summary>
    public DateTimeOffset InternalDate { get; } = internalDate;
}
