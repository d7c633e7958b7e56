using Mail.Frontends.ManageSieve.Protocol;

namespace Mail.Frontends.ManageSieve.Session;

/// <summary>RENAMESCRIPT old new (RFC 5804 §2.11.1): keeps whether it is active; NO (NONEXISTENT) or NO (ALREADYEXISTS).</summary>
public sealed class RenameScriptHandler : IManageSieveHandler
{
    /// <inheritdoc />
    public string Keyword => "RENAMESCRIPT";

    /// <inheritdoc />
    public bool RequiresAuthentication => true;

    /// <inheritdoc />
    public Task HandleAsync(ManageSieveSession session, ManageSieveCommand command, CancellationToken ct) =>
        ScriptCommand.Arguments(session, command, 2, "RENAMESCRIPT <old name> <new name>")
            ? ScriptCommand.RunAsync(session, () => session.Scripts.RenameAsync(command.Arguments[0], command.Arguments[1]), "Renamescript completed")
            : Task.CompletedTask;
}
