using Mail.Frontends.Pop3.Protocol;

namespace Mail.Frontends.Pop3.Session;

/// <summary>Handles one POP3 command: checks its arguments, does the work, queues the response.</summary>
public interface IPop3CommandHandler
{
    /// <summary>The keyword, upper case.</summary>
    string Keyword { get; }

    /// <summary>The states the command is valid in; the read loop refuses it in any other.</summary>
    Pop3State ValidIn { get; }

    /// <summary>Runs the command.</summary>
    Task HandleAsync(Pop3Session session, Pop3Command command, CancellationToken ct);
}
