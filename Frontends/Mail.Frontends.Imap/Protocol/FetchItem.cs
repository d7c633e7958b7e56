namespace Mail.Frontends.Imap.Protocol;

/// <summary>One FETCH data item; <see cref="Section"/> for body and binary sections, <see cref="Peek"/> to leave \Seen alone.</summary>
public sealed record FetchItem(FetchItemKind Kind, BodySection? Section = null, bool Peek = false);
