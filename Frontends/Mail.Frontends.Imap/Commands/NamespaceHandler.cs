using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;

namespace Mail.Frontends.Imap.Commands;

/// <summary>NAMESPACE (RFC 9051 §6.3.10): one personal namespace with "/" as delimiter, no shared or other users' namespaces.</summary>
public sealed class NamespaceHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["NAMESPACE"];

    /// <inheritdoc />
    public ImapState States => ImapState.LoggedIn;

    /// <inheritdoc />
    public Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        session.Untagged("NAMESPACE ((\"\" \"/\")) NIL NIL");
        return Task.FromResult(ImapResult.Ok("NAMESPACE completed"));
    }
}
