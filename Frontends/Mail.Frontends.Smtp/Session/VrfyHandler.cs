using Mail.Frontends.Smtp.Protocol;

namespace Mail.Frontends.Smtp.Session;

/// <summary>VRFY (RFC 5321 §3.5.3): 252, so the address list cannot be harvested.</summary>
public sealed class VrfyHandler : ISmtpCommandHandler
{
    /// <inheritdoc />
    public string Verb => "VRFY";

    /// <inheritdoc />
    public Task HandleAsync(SmtpSession session, string argument, CancellationToken ct)
    {
        session.Reply(argument.Trim().Length == 0
            ? SmtpReplies.Syntax("Syntax: VRFY address")
            : new SmtpReply(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery"));
        return Task.CompletedTask;
    }
}
