using Mail.Frontends.Imap.Mime;

namespace Mail.Frontends.Imap.Session;

/// <summary>A message's octets (all of them, its header, or its cached header fields: <paramref name="Coverage"/>) and its located MIME structure.</summary>
public sealed record LoadedMessage(ReadOnlyMemory<byte> Bytes, MimeNode Root, ContentNeed Coverage);
