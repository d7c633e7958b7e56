namespace Mail.Frontends.Imap.Protocol;

/// <summary>SELECT or EXAMINE mailbox [(CONDSTORE | QRESYNC (...))] (RFC 9051 §6.3.2, RFC 7162 §3.1.8, §3.2.5).</summary>
public sealed record SelectCommand(string Tag, string Mailbox, bool ReadOnly, bool Condstore, QresyncParameters? Qresync)
    : ImapCommand(Tag, ReadOnly ? "EXAMINE" : "SELECT");
