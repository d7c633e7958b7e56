namespace Mail.Frontends.Imap.Protocol;

/// <summary>FETCH set items [(CHANGEDSINCE n [VANISHED])] (RFC 9051 §6.4.5, RFC 7162 §3.1.4, §3.2.6).</summary>
public sealed record FetchCommand(string Tag, SequenceSet Set, IReadOnlyList<FetchItem> Items, long? ChangedSince, bool Vanished)
    : ImapCommand(Tag, "FETCH");
