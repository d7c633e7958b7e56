namespace Mail.Frontends.Imap.Protocol;

/// <summary>CANCELUPDATE tag... (RFC 5267 §4.3): the SEARCH/SORT tags whose updates end.</summary>
public sealed record CancelUpdateCommand(string Tag, IReadOnlyList<string> Tags) : ImapCommand(Tag, "CANCELUPDATE");
