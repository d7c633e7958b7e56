using System.Globalization;
using Mail.Frontends.Pop3.Protocol;

namespace Mail.Frontends.Pop3.Session;

/// <summary>LIST [msg] (RFC 1939 §5): the size of one message, or a scan listing of every message not marked deleted.</summary>
public sealed class ListHandler : IPop3CommandHandler
{
    /// <inheritdoc />
    public string Keyword => "LIST";

    /// <inheritdoc />
    public Pop3State ValidIn => Pop3State.Transaction;

    /// <inheritdoc />
    public Task HandleAsync(Pop3Session session, Pop3Command command, CancellationToken ct)
    {
        var maildrop = session.Maildrop!;
        switch (command.Arguments.Count)
        {
            case 0:
                var lines = maildrop.LiveNumbers.Select(n => ScanLine(maildrop, n)).ToArray();
                session.Reply(Pop3Response.Multiline($"{Pop3Responses.Messages(maildrop.LiveCount)} ({maildrop.LiveSize} octets)", lines));
                break;
            case 1:
                session.Reply(maildrop.TryFind(command.Argument, out var number, out var error)
                    ? Pop3Response.Success(ScanLine(maildrop, number))
                    : error);
                break;
            default:
                session.Reply(Pop3Responses.Syntax("LIST [msg]"));
                break;
        }
        return Task.CompletedTask;
    }

    private static string ScanLine(Pop3Maildrop maildrop, int number) =>
        string.Create(CultureInfo.InvariantCulture, $"{number} {maildrop[number].Size}");
}
