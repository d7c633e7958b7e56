using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;

namespace Mail.Frontends.Imap.Commands;

/// <summary>CAPABILITY (RFC 9051 §6.1.1).</summary>
public sealed class CapabilityHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["CAPABILITY"];

    /// <inheritdoc />
    public ImapState States => ImapState.Any;

    /// <inheritdoc />
    public Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        session.Untagged("CAPABILITY " + session.Capabilities());
        return Task.FromResult(ImapResult.Ok("CAPABILITY completed"));
    }
}
