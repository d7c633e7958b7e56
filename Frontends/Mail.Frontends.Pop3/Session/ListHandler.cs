using System.Globalization;
using Mail.Frontends.Pop3.Protocol;

namespace Mail.Frontends.Pop3.Session;

/// <summary>
/// LIST [msg] (RFC 1939 §5): the size of one message, or a scan listing of every message not marked deleted, written
/// a page of sizes at a time.
/// </summary>
public sealed class ListHandler : IPop3CommandHandler
{
    /// <inheritdoc />
    public string Keyword => "LIST";

    /// <inheritdoc />
    public Pop3State ValidIn => Pop3State.Transaction;

    /// <inheritdoc />
    public async Task HandleAsync(Pop3Session session, Pop3Command command, CancellationToken ct)
    {
        var maildrop = session.Maildrop!;
        switch (command.Arguments.Count)
        {
            case 0:
                session.Reply(Pop3Response.Success($"{Pop3Responses.Messages(maildrop.LiveCount)} ({maildrop.LiveSize} octets)"));
                await Pop3Responses.WriteLinesAsync(session, maildrop.ScanAsync().Select(m => ScanLine(m.Number, m.Size)), ct);
                break;
            case 1:
                session.Reply(maildrop.TryFind(command.Argument, out var number, out var error)
                    ? Pop3Response.Success(ScanLine(number, await maildrop.SizeAsync(number)))
                    : error);
                break;
            default:
                session.Reply(Pop3Responses.Syntax("LIST [msg]"));
                break;
        }
    }

    private static string ScanLine(int number, long size) => string.Create(CultureInfo.InvariantCulture, $"{number} {size}");
}
