using Mail.Frontends.ManageSieve.Protocol;

namespace Mail.Frontends.ManageSieve.Session;

/// <summary>HAVESPACE name size (RFC 5804 §2.5): OK, or NO (QUOTA/MAXSCRIPTS) / NO (QUOTA/MAXSIZE).</summary>
public sealed class HaveSpaceHandler : IManageSieveHandler
{
    /// <inheritdoc />
    public string Keyword => "HAVESPACE";

    /// <inheritdoc />
    public bool RequiresAuthentication => true;

    /// <inheritdoc />
    public async Task HandleAsync(ManageSieveSession session, ManageSieveCommand command, CancellationToken ct)
    {
        if (!ScriptCommand.Arguments(session, command, 2, "HAVESPACE <name> <size>")) return;
        if (!long.TryParse(command.Arguments[1], System.Globalization.NumberStyles.None, null, out var size))
        {
            session.Write(ManageSieveResponse.No("the size must be a number"));
            return;
        }
        var code = await session.Scripts.HaveSpaceAsync(command.Arguments[0], size);
        session.Write(code is null ? ManageSieveResponse.Ok("Putscript would succeed") : ManageSieveResponse.No("the script would not fit", code));
    }
}
