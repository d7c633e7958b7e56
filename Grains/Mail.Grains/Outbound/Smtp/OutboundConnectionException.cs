namespace Mail.Grains.Outbound.Smtp;

/// <summary>
/// The connection to one host failed as a whole (refused, timed out, greeting or EHLO refused, TLS required but
/// not offered, certificate rejected, 421, dropped): no recipient got an answer. <see cref="Permanent"/> says the
/// host refused for good (a 5xx greeting); the caller still tries the next MX host (RFC 5321 §5.1).
/// </summary>
public sealed class OutboundConnectionException(string message, SmtpReplyInfo? reply = null, bool permanent = false, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The reply that ended the session, when there was one.</summary>
    public SmtpReplyInfo? Reply { get; } = reply;

    /// <summary>The host refused permanently (5xx); otherwise try again later.</summary>
    public bool Permanent { get; } = permanent;
}
