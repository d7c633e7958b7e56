using Mail.Frontends.Pop3.Protocol;

namespace Mail.Frontends.Pop3.Session;

/// <summary>TOP msg n (RFC 1939 §7): the header, the blank line, and the first n lines of the body, dot-stuffed.</summary>
public sealed class TopHandler : IPop3CommandHandler
{
    /// <inheritdoc />
    public string Keyword => "TOP";

    /// <inheritdoc />
    public Pop3State ValidIn => Pop3State.Transaction;

    /// <inheritdoc />
    public async Task HandleAsync(Pop3Session session, Pop3Command command, CancellationToken ct)
    {
        var arguments = command.Arguments;
        if (arguments.Count != 2)
        {
            session.Reply(Pop3Responses.Syntax("TOP msg n"));
            return;
        }
        if (!session.Maildrop!.TryFind(arguments[0], out var number, out var error))
        {
            session.Reply(error);
            return;
        }
        if (!MessageNumber.TryParseCount(arguments[1], out var lines))
        {
            session.Reply(Pop3Response.Error("invalid line count"));
            return;
        }
        await MessageTransfer.SendAsync(session, number, new TopFilter(lines), ct);
    }
}
