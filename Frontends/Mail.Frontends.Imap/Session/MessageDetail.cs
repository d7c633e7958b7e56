namespace Mail.Frontends.Imap.Session;

/// <summary>What a command needs to know of each message besides its UID and message id, cheapest first.</summary>
public enum MessageDetail
{
    /// <summary>Nothing more: the session's own map answers.</summary>
    None = 0,

    /// <summary>Current flags, from the mailbox grain's memory.</summary>
    Flags = 1,

    /// <summary>Flags, MODSEQ, size and internal date, from one database read per page.</summary>
    Slot = 2,
}
