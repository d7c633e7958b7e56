using Mail.Frontends.ManageSieve.Protocol;

namespace Mail.Frontends.ManageSieve.Session;

/// <summary>GETSCRIPT name (RFC 5804 §2.9): the script as a literal, then OK; NO (NONEXISTENT) when there is none.</summary>
public sealed class GetScriptHandler : IManageSieveHandler
{
    /// <inheritdoc />
    public string Keyword => "GETSCRIPT";

    /// <inheritdoc />
    public bool RequiresAuthentication => true;

    /// <inheritdoc />
    public async Task HandleAsync(ManageSieveSession session, ManageSieveCommand command, CancellationToken ct)
    {
        if (!ScriptCommand.Arguments(session, command, 1, "GETSCRIPT <name>")) return;
        var content = await session.Scripts.GetAsync(command.Arguments[0]);
        if (content is null)
        {
            session.Write(ManageSieveResponse.No("There is no script by that name", "NONEXISTENT"));
            return;
        }
        session.Write($"{{{System.Text.Encoding.UTF8.GetByteCount(content)}}}\r\n{content}\r\n");
        session.Write(ManageSieveResponse.Ok("Getscript completed"));
    }
}
