using Mail.Frontends.Pop3.Protocol;

namespace Mail.Frontends.Pop3.Session;

/// <summary>DELE msg (RFC 1939 §5): marks a message deleted; it is removed only when QUIT enters the UPDATE state.</summary>
public sealed class DeleHandler : IPop3CommandHandler
{
    /// <inheritdoc />
    public string Keyword => "DELE";

    /// <inheritdoc />
    public Pop3State ValidIn => Pop3State.Transaction;

    /// <inheritdoc />
    public async Task HandleAsync(Pop3Session session, Pop3Command command, CancellationToken ct)
    {
        var maildrop = session.Maildrop!;
        if (command.Arguments.Count != 1)
        {
            session.Reply(Pop3Responses.Syntax("DELE msg"));
        }
        else if (maildrop.TryFind(command.Argument, out var number, out var error))
        {
            await maildrop.DeleteAsync(number);
            session.Reply(Pop3Response.Success($"message {number} deleted"));
        }
        else
        {
            session.Reply(error);
        }
    }
}
