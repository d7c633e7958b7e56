using Mail.Frontends.Pop3.Protocol;

namespace Mail.Frontends.Pop3.Session;

/// <summary>NOOP (RFC 1939 §5): "+OK"; like every command it renews the maildrop lock.</summary>
public sealed class NoopHandler : IPop3CommandHandler
{
    /// <inheritdoc />
    public string Keyword => "NOOP";

    /// <inheritdoc />
    public Pop3State ValidIn => Pop3State.Transaction;

    /// <inheritdoc />
    public Task HandleAsync(Pop3Session session, Pop3Command command, CancellationToken ct)
    {
        session.Reply(command.Argument.Length > 0 ? Pop3Responses.Syntax("NOOP takes no argument") : Pop3Response.Success(""));
        return Task.CompletedTask;
    }
}
