namespace Mail.Frontends.Imap.Protocol;

/// <summary>A command whose argument is one mailbox name: CREATE, DELETE, SUBSCRIBE, UNSUBSCRIBE, GETQUOTAROOT, GETQUOTA.</summary>
public sealed record MailboxCommand(string Tag, string Name, string Mailbox) : ImapCommand(Tag, Name);
