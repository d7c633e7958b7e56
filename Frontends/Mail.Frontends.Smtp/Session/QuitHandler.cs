using Mail.Frontends.Smtp.Protocol;

namespace Mail.Frontends.Smtp.Session;

/// <summary>QUIT (RFC 5321 §4.1.1.10): 221, then the server closes.</summary>
public sealed class QuitHandler : ISmtpCommandHandler
{
    /// <inheritdoc />
    public string Verb => "QUIT";

    /// <inheritdoc />
    public Task HandleAsync(SmtpSession session, string argument, CancellationToken ct)
    {
        session.Reply(new SmtpReply(221, "2.0.0", "Bye"));
        session.Closing = true;
        return Task.CompletedTask;
    }
}
