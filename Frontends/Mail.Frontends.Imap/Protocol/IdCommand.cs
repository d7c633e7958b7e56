namespace Mail.Frontends.Imap.Protocol;

/// <summary>ID (field value ...) or ID NIL (RFC 2971).</summary>
public sealed record IdCommand(string Tag, IReadOnlyList<KeyValuePair<string, string?>>? Fields) : ImapCommand(Tag, "ID");
