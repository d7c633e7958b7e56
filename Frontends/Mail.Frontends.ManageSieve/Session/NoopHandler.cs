using Mail.Frontends.ManageSieve.Protocol;

namespace Mail.Frontends.ManageSieve.Session;

/// <summary>NOOP [tag] (RFC 5804 §2.13): OK, echoing a given string in the TAG response code.</summary>
public sealed class NoopHandler : IManageSieveHandler
{
    /// <inheritdoc />
    public string Keyword => "NOOP";

    /// <inheritdoc />
    public bool RequiresAuthentication => false;

    /// <inheritdoc />
    public Task HandleAsync(ManageSieveSession session, ManageSieveCommand command, CancellationToken ct)
    {
        session.Write(command.Arguments.Count > 0
            ? ManageSieveResponse.Ok("Done", $"TAG {ManageSieveResponse.String(command.Arguments[0])}")
            : ManageSieveResponse.Ok("Done"));
        return Task.CompletedTask;
    }
}
