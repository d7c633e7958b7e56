using Mail.Frontends.Pop3.Protocol;

namespace Mail.Frontends.Pop3.Session;

/// <summary>RETR msg (RFC 1939 §5): the whole message, dot-stuffed. It is not marked \Seen (as Dovecot does by default).</summary>
public sealed class RetrHandler : IPop3CommandHandler
{
    /// <inheritdoc />
    public string Keyword => "RETR";

    /// <inheritdoc />
    public Pop3State ValidIn => Pop3State.Transaction;

    /// <inheritdoc />
    public async Task HandleAsync(Pop3Session session, Pop3Command command, CancellationToken ct)
    {
        if (command.Arguments.Count != 1)
        {
            session.Reply(Pop3Responses.Syntax("RETR msg"));
            return;
        }
        if (!session.Maildrop!.TryFind(command.Argument, out var number, out var error))
        {
            session.Reply(error);
            return;
        }
        await MessageTransfer.SendAsync(session, number, top: null, ct);
    }
}
