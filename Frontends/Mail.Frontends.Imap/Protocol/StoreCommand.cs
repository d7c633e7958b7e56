namespace Mail.Frontends.Imap.Protocol;

/// <summary>STORE set [(UNCHANGEDSINCE n)] [+|-]FLAGS[.SILENT] flags (RFC 9051 §6.4.6, RFC 7162 §3.1.3).</summary>
public sealed record StoreCommand(string Tag, SequenceSet Set, StoreMode Mode, bool Silent, IReadOnlyList<string> Flags, long? UnchangedSince)
    : ImapCommand(Tag, "STORE");
