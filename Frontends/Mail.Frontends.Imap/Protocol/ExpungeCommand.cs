namespace Mail.Frontends.Imap.Protocol;

/// <summary>UID EXPUNGE set (RFC 9051 §6.4.9, UIDPLUS RFC 4315 §2.1).</summary>
public sealed record ExpungeCommand(string Tag, SequenceSet Set) : ImapCommand(Tag, "EXPUNGE");
