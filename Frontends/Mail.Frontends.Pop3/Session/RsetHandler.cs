using Mail.Frontends.Pop3.Protocol;

namespace Mail.Frontends.Pop3.Session;

/// <summary>RSET (RFC 1939 §5): unmarks every message marked deleted in this session.</summary>
public sealed class RsetHandler : IPop3CommandHandler
{
    /// <inheritdoc />
    public string Keyword => "RSET";

    /// <inheritdoc />
    public Pop3State ValidIn => Pop3State.Transaction;

    /// <inheritdoc />
    public Task HandleAsync(Pop3Session session, Pop3Command command, CancellationToken ct)
    {
        if (command.Argument.Length > 0)
        {
            session.Reply(Pop3Responses.Syntax("RSET takes no argument"));
            return Task.CompletedTask;
        }
        session.Maildrop!.Undelete();
        session.Reply(Pop3Responses.MaildropSize(session.Maildrop));
        return Task.CompletedTask;
    }
}
