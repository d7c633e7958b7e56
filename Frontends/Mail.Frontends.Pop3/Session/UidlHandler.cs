using Mail.Frontends.Pop3.Protocol;

namespace Mail.Frontends.Pop3.Session;

/// <summary>
/// UIDL [msg] (RFC 1939 §7): the unique-id of one message, or of every message not marked deleted. The id
/// is "UIDVALIDITY.UID" of the INBOX, so it stays the same across sessions for as long as the message exists.
/// </summary>
public sealed class UidlHandler : IPop3CommandHandler
{
    /// <inheritdoc />
    public string Keyword => "UIDL";

    /// <inheritdoc />
    public Pop3State ValidIn => Pop3State.Transaction;

    /// <inheritdoc />
    public async Task HandleAsync(Pop3Session session, Pop3Command command, CancellationToken ct)
    {
        var maildrop = session.Maildrop!;
        switch (command.Arguments.Count)
        {
            case 0:
                session.Reply(Pop3Response.Success(""));
                await Pop3Responses.WriteLinesAsync(session, maildrop.LiveNumbers.Select(n => $"{n} {maildrop.UniqueId(n)}").ToAsyncEnumerable(), ct);
                break;
            case 1:
                session.Reply(maildrop.TryFind(command.Argument, out var number, out var error)
                    ? Pop3Response.Success($"{number} {maildrop.UniqueId(number)}")
                    : error);
                break;
            default:
                session.Reply(Pop3Responses.Syntax("UIDL [msg]"));
                break;
        }
    }
}
