namespace Mail.Frontends.Imap.Session;

/// <summary>
/// One message of the selected mailbox as a command loaded it (<see cref="MessageDetail"/> says how much: with less than
/// <see cref="MessageDetail.Slot"/>, MODSEQ, size and date are 0; with <see cref="MessageDetail.None"/>, flags are empty).
/// Lives for one page of one command; the session keeps only its map of UIDs.
/// </summary>
public sealed class MessageState(long messageId, long uid, long modseq, IReadOnlyList<string> flags, long size, DateTimeOffset internalDate)
{
    /// <summary>The grain's message id.</summary>
    public long MessageId { get; } = messageId;

    /// <summary>UID in the folder.</summary>
    public long Uid { get; } = uid;

    /// <summary>MODSEQ.</summary>
    public long Modseq { get; set; } = modseq;

    /// <summary>Flags.</summary>
    public IReadOnlyList<string> Flags { get; set; } = flags;

    /// <summary>RFC822.SIZE.</summary>
    public long Size { get; } = size;

    /// <summary>INTERNALDATE.</summary>
    public DateTimeOffset InternalDate { get; } = internalDate;

    /// <summary>When the message was placed in this folder (SAVEDATE, RFC 8514 §4); with <see cref="MessageDetail.Slot"/> only.</summary>
    public DateTimeOffset? SaveDate { get; init; }

    /// <summary>The grain's thread id (THREADID, RFC 8474 §5.2), 0 when unknown; with <see cref="MessageDetail.Slot"/> only.</summary>
    public long ThreadId { get; init; }

    /// <summary>The state a slot read from the database gives.</summary>
    public static MessageState FromSlot(Mail.Grains.Interfaces.Mailboxes.MessageSlot slot) =>
        new(slot.MessageId, slot.Uid, slot.Modseq, slot.Flags, slot.Size, slot.InternalDate) { SaveDate = slot.SaveDate, ThreadId = slot.ThreadId };
}
