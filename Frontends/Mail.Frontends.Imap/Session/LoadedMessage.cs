using Mail.Frontends.Imap.Mime;

namespace Mail.Frontends.Imap.Session;

/// <summary>A message's octets (all of them, or only its header) and its located MIME structure.</summary>
public sealed record LoadedMessage(ReadOnlyMemory<byte> Bytes, MimeNode Root, bool HeaderOnly);
