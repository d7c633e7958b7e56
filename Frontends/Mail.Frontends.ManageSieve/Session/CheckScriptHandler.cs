using Mail.Frontends.ManageSieve.Protocol;
using Mail.Grains.Interfaces.Errors;

namespace Mail.Frontends.ManageSieve.Session;

/// <summary>CHECKSCRIPT script (RFC 5804 §2.12): compiles without storing; NO with the error's line and column.</summary>
public sealed class CheckScriptHandler : IManageSieveHandler
{
    /// <inheritdoc />
    public string Keyword => "CHECKSCRIPT";

    /// <inheritdoc />
    public bool RequiresAuthentication => true;

    /// <inheritdoc />
    public async Task HandleAsync(ManageSieveSession session, ManageSieveCommand command, CancellationToken ct)
    {
        if (!ScriptCommand.Arguments(session, command, 1, "CHECKSCRIPT <script>")) return;
        try
        {
            var result = await session.Scripts.CheckAsync(command.Arguments[0]);
            session.Write(result.Ok ? ManageSieveResponse.Ok("Script is valid") : ScriptCommand.Invalid(result));
        }
        catch (MailException e)
        {
            session.Write(ScriptCommand.Refusal(e));
        }
    }
}
