namespace Mail.Frontends.Imap.Protocol;

/// <summary>COPY or MOVE set mailbox (RFC 9051 §6.4.7, §6.4.8).</summary>
public sealed record CopyCommand(string Tag, string Name, SequenceSet Set, string Mailbox) : ImapCommand(Tag, Name);
