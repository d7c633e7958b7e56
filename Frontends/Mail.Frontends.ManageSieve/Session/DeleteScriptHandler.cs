using Mail.Frontends.ManageSieve.Protocol;

namespace Mail.Frontends.ManageSieve.Session;

/// <summary>DELETESCRIPT name (RFC 5804 §2.10): NO (ACTIVE) for the active script, NO (NONEXISTENT) for an unknown one.</summary>
public sealed class DeleteScriptHandler : IManageSieveHandler
{
    /// <inheritdoc />
    public string Keyword => "DELETESCRIPT";

    /// <inheritdoc />
    public bool RequiresAuthentication => true;

    /// <inheritdoc />
    public Task HandleAsync(ManageSieveSession session, ManageSieveCommand command, CancellationToken ct) =>
        ScriptCommand.Arguments(session, command, 1, "DELETESCRIPT <name>")
            ? ScriptCommand.RunAsync(session, () => session.Scripts.DeleteAsync(command.Arguments[0]), "Deletescript completed")
            : Task.CompletedTask;
}
