using Mail.Frontends.ManageSieve.Protocol;
using Mail.Grains.Interfaces.Errors;

namespace Mail.Frontends.ManageSieve.Session;

/// <summary>
/// PUTSCRIPT name script (RFC 5804 §2.6): the script is compiled before it is stored, so an error comes back as NO
/// with its line and column; QUOTA/MAXSCRIPTS or QUOTA/MAXSIZE when it would not fit.
/// </summary>
public sealed class PutScriptHandler : IManageSieveHandler
{
    /// <inheritdoc />
    public string Keyword => "PUTSCRIPT";

    /// <inheritdoc />
    public bool RequiresAuthentication => true;

    /// <inheritdoc />
    public async Task HandleAsync(ManageSieveSession session, ManageSieveCommand command, CancellationToken ct)
    {
        if (!ScriptCommand.Arguments(session, command, 2, "PUTSCRIPT <name> <script>")) return;
        var (name, content) = (command.Arguments[0], command.Arguments[1]);
        var scripts = session.Scripts;
        if (await scripts.HaveSpaceAsync(name, System.Text.Encoding.UTF8.GetByteCount(content)) is { } code)
        {
            session.Write(ManageSieveResponse.No("the script does not fit", code));
            return;
        }
        try
        {
            var result = await scripts.PutAsync(name, content);
            session.Write(result.Ok ? ManageSieveResponse.Ok("Putscript completed") : ScriptCommand.Invalid(result));
        }
        catch (MailException e)
        {
            session.Write(ScriptCommand.Refusal(e));
        }
    }
}
