using Mail.Frontends.Smtp.Protocol;

namespace Mail.Frontends.Smtp.Session;

/// <summary>HELP (RFC 5321 §4.1.1.8).</summary>
public sealed class HelpHandler : ISmtpCommandHandler
{
    /// <inheritdoc />
    public string Verb => "HELP";

    /// <inheritdoc />
    public Task HandleAsync(SmtpSession session, string argument, CancellationToken ct)
    {
        session.Reply(new SmtpReply(214, "2.0.0", "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP STARTTLS AUTH"));
        return Task.CompletedTask;
    }
}
