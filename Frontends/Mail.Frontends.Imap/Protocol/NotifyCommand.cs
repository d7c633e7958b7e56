namespace Mail.Frontends.Imap.Protocol;

/// <summary>NOTIFY NONE, or NOTIFY SET [STATUS] event-groups (RFC 5465 §3, §8).</summary>
public sealed record NotifyCommand(string Tag, bool None, bool Status, IReadOnlyList<NotifyGroup> Groups) : ImapCommand(Tag, "NOTIFY");

/// <summary>One event group: which mailboxes (a filter and its names) and which events (RFC 5465 §6, §5).</summary>
public sealed record NotifyGroup(NotifyFilter Filter, IReadOnlyList<string> Mailboxes, NotifyEvents Events, IReadOnlyList<string> UnknownEvents)
{
    /// <summary>The FETCH attributes of MessageNew (RFC 5465 §5.2), empty when none was given.</summary>
    public IReadOnlyList<FetchItem> FetchItems { get; init; } = [];
}

/// <summary>The mailbox filters of an event group (RFC 5465 §6).</summary>
public enum NotifyFilter
{
    /// <summary>SELECTED: the selected mailbox, expunges reported at once.</summary>
    Selected,
    /// <summary>SELECTED-DELAYED: the selected mailbox, expunges held until a command that allows them.</summary>
    SelectedDelayed,
    /// <summary>INBOXES: the mailboxes an MDA may deliver to.</summary>
    Inboxes,
    /// <summary>PERSONAL: every mailbox of the user's personal namespace.</summary>
    Personal,
    /// <summary>SUBSCRIBED: the subscribed mailboxes.</summary>
    Subscribed,
    /// <summary>SUBTREE names: the named mailboxes and all below them.</summary>
    Subtree,
    /// <summary>MAILBOXES names: exactly the named mailboxes.</summary>
    Mailboxes,
}

/// <summary>The events of RFC 5465 §5 an event group asks for.</summary>
[Flags]
public enum NotifyEvents
{
    /// <summary>None (the group's "NONE").</summary>
    None = 0,
    /// <summary>MessageNew (§5.2).</summary>
    MessageNew = 1,
    /// <summary>MessageExpunge (§5.3).</summary>
    MessageExpunge = 2,
    /// <summary>FlagChange (§5.4).</summary>
    FlagChange = 4,
    /// <summary>AnnotationChange (§5.4): not supported here (no ANNOTATE), refused with BADEVENT.</summary>
    AnnotationChange = 8,
    /// <summary>MailboxName (§5.4): created, deleted and renamed mailboxes.</summary>
    MailboxName = 16,
    /// <summary>SubscriptionChange (§5.5).</summary>
    SubscriptionChange = 32,
    /// <summary>MailboxMetadataChange (§5.6): not supported here (no METADATA), refused with BADEVENT.</summary>
    MailboxMetadataChange = 64,
    /// <summary>ServerMetadataChange (§5.7): not supported here (no METADATA), refused with BADEVENT.</summary>
    ServerMetadataChange = 128,
}
