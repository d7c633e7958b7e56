namespace Mail.Frontends.Imap.Mime;

/// <summary>One header field as it appears in the message: name, and the whole field's octets (name, colon, value, folds, CRLF).</summary>
public sealed record HeaderField(string Name, int Start, int End, int ValueStart);
