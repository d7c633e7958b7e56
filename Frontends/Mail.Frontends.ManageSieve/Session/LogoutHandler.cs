using Mail.Frontends.ManageSieve.Protocol;

namespace Mail.Frontends.ManageSieve.Session;

/// <summary>LOGOUT (RFC 5804 §2.3): OK, then the server closes the connection.</summary>
public sealed class LogoutHandler : IManageSieveHandler
{
    /// <inheritdoc />
    public string Keyword => "LOGOUT";

    /// <inheritdoc />
    public bool RequiresAuthentication => false;

    /// <inheritdoc />
    public Task HandleAsync(ManageSieveSession session, ManageSieveCommand command, CancellationToken ct)
    {
        session.Write(ManageSieveResponse.Ok("Logout complete"));
        session.Closing = true;
        return Task.CompletedTask;
    }
}
