namespace Mail.Frontends.Imap.Protocol;

/// <summary>A command without arguments: CAPABILITY, NOOP, LOGOUT, STARTTLS, CHECK, CLOSE, UNSELECT, EXPUNGE, IDLE, NAMESPACE.</summary>
public sealed record SimpleCommand(string Tag, string Name) : ImapCommand(Tag, Name);
