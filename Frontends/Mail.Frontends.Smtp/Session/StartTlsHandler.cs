using Mail.Frontends.Smtp.Protocol;

namespace Mail.Frontends.Smtp.Session;

/// <summary>STARTTLS (RFC 3207): 220, discard pipelined plaintext, handshake, and forget everything learnt before (§4.2).</summary>
public sealed class StartTlsHandler : ISmtpCommandHandler
{
    /// <inheritdoc />
    public string Verb => "STARTTLS";

    /// <inheritdoc />
    public async Task HandleAsync(SmtpSession session, string argument, CancellationToken ct)
    {
        if (argument.Trim().Length > 0)
        {
            session.Reply(SmtpReplies.Syntax("Syntax: STARTTLS takes no argument"));
            return;
        }
        if (session.Transport.IsTls)
        {
            session.Reply(SmtpReplies.BadSequence("TLS already active"));
            return;
        }
        if (session.Certificate is null)
        {
            session.Reply(new SmtpReply(454, "4.7.0", "TLS not available"));
            return;
        }
        session.Reply(new SmtpReply(220, "2.0.0", "Ready to start TLS"));
        if (!await session.Transport.TryStartTlsAsync(session.Certificate, session.Deadlines.Idle, ct))
        {
            session.Closing = true;
            return;
        }
        await session.ResetTransactionAsync();
        session.ClientName = null;
        session.Extended = false;
        session.Account = null;
    }
}
