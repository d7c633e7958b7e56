using Mail.Frontends.ManageSieve.Protocol;

namespace Mail.Frontends.ManageSieve.Session;

/// <summary>CAPABILITY (RFC 5804 §2.4): the capability listing, then OK.</summary>
public sealed class CapabilityHandler : IManageSieveHandler
{
    /// <inheritdoc />
    public string Keyword => "CAPABILITY";

    /// <inheritdoc />
    public bool RequiresAuthentication => false;

    /// <inheritdoc />
    public Task HandleAsync(ManageSieveSession session, ManageSieveCommand command, CancellationToken ct)
    {
        session.WriteCapabilities();
        session.Write(ManageSieveResponse.Ok());
        return Task.CompletedTask;
    }
}
