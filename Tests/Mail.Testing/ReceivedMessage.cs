using System.Net;

namespace Mail.Testing;

/// <summary>
/// One transaction a <see cref="TestSmtpReceiver"/> accepted: the envelope as sent (MAIL parameters such as
/// SIZE= and BODY= included), the exact message bytes after dot-unstuffing or BDAT assembly, and the session's facts.
/// </summary>
public sealed record ReceivedMessage(
    string MailFrom,
    string MailParameters,
    IReadOnlyList<string> Recipients,
    byte[] Data,
    bool Chunked,
    bool Tls,
    string? AuthenticatedUser,
    string? EhloName,
    IPAddress ClientAddress);
