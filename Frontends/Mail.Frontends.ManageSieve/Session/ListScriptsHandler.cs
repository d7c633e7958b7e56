using Mail.Frontends.ManageSieve.Protocol;

namespace Mail.Frontends.ManageSieve.Session;

/// <summary>LISTSCRIPTS (RFC 5804 §2.7): one line per script, the active one marked ACTIVE, then OK.</summary>
public sealed class ListScriptsHandler : IManageSieveHandler
{
    /// <inheritdoc />
    public string Keyword => "LISTSCRIPTS";

    /// <inheritdoc />
    public bool RequiresAuthentication => true;

    /// <inheritdoc />
    public async Task HandleAsync(ManageSieveSession session, ManageSieveCommand command, CancellationToken ct)
    {
        foreach (var script in await session.Scripts.ListAsync())
        {
            session.Write(ManageSieveResponse.String(script.Name) + (script.Active ? " ACTIVE" : "") + "\r\n");
        }
        session.Write(ManageSieveResponse.Ok("Listscripts completed"));
    }
}
