using Mail.Frontends.ManageSieve.Protocol;

namespace Mail.Frontends.ManageSieve.Session;

/// <summary>One ManageSieve command (RFC 5804 §2).</summary>
public interface IManageSieveHandler
{
    /// <summary>The command keyword, upper case.</summary>
    string Keyword { get; }

    /// <summary>Whether the command needs an authenticated session.</summary>
    bool RequiresAuthentication { get; }

    /// <summary>Answers the command.</summary>
    Task HandleAsync(ManageSieveSession session, ManageSieveCommand command, CancellationToken ct);
}
