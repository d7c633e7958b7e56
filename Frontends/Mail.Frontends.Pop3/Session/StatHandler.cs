using System.Globalization;
using Mail.Frontends.Pop3.Protocol;

namespace Mail.Frontends.Pop3.Session;

/// <summary>STAT (RFC 1939 §5): "+OK count octets" of the messages not marked deleted.</summary>
public sealed class StatHandler : IPop3CommandHandler
{
    /// <inheritdoc />
    public string Keyword => "STAT";

    /// <inheritdoc />
    public Pop3State ValidIn => Pop3State.Transaction;

    /// <inheritdoc />
    public Task HandleAsync(Pop3Session session, Pop3Command command, CancellationToken ct)
    {
        var maildrop = session.Maildrop!;
        session.Reply(command.Argument.Length > 0
            ? Pop3Responses.Syntax("STAT takes no argument")
            : Pop3Response.Success(string.Create(CultureInfo.InvariantCulture, $"{maildrop.LiveCount} {maildrop.LiveSize}")));
        return Task.CompletedTask;
    }
}
