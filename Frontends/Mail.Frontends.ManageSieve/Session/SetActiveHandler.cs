using Mail.Frontends.ManageSieve.Protocol;

namespace Mail.Frontends.ManageSieve.Session;

/// <summary>SETACTIVE name (RFC 5804 §2.8): makes the script active; "" deactivates; NO (NONEXISTENT) for an unknown name.</summary>
public sealed class SetActiveHandler : IManageSieveHandler
{
    /// <inheritdoc />
    public string Keyword => "SETACTIVE";

    /// <inheritdoc />
    public bool RequiresAuthentication => true;

    /// <inheritdoc />
    public Task HandleAsync(ManageSieveSession session, ManageSieveCommand command, CancellationToken ct) =>
        ScriptCommand.Arguments(session, command, 1, "SETACTIVE <name>")
            ? ScriptCommand.RunAsync(session, () => session.Scripts.SetActiveAsync(command.Arguments[0]), "Setactive completed")
            : Task.CompletedTask;
}
