using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Events;

/// <summary>
/// What a <see cref="MailboxChangeFeed"/> hands its consumer: the events that take the mailbox from the feed's last
/// position to <see cref="Modseq"/>, in order and without a gap; or, with <see cref="Reload"/>, that the consumer must
/// read the mailbox again in full (the changes it missed are behind the change log's horizon, or the mailbox was
/// purged) and go on from <see cref="Modseq"/>.
/// </summary>
public sealed record MailboxFeedUpdate(IReadOnlyList<MailboxEvent> Events, bool Reload, long Modseq)
{
    /// <summary>True when the events were read back from the change log rather than received on the stream (they carry no flags then).</summary>
    public bool Replayed { get; init; }
}
