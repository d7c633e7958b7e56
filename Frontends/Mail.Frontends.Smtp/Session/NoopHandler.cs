namespace Mail.Frontends.Smtp.Session;

/// <summary>NOOP (RFC 5321 §4.1.1.9).</summary>
public sealed class NoopHandler : ISmtpCommandHandler
{
    /// <inheritdoc />
    public string Verb => "NOOP";

    /// <inheritdoc />
    public Task HandleAsync(SmtpSession session, string argument, CancellationToken ct)
    {
        session.Reply(SmtpReplies.Ok);
        return Task.CompletedTask;
    }
}
