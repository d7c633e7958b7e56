using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// NAMESPACE (RFC 9051 §6.3.10, RFC 2342): the personal namespace and the other users' namespace, where folders other
/// accounts of the tenant share (RFC 4314) are found; both with "/" as delimiter. There is no shared (public) namespace.
/// </summary>
public sealed class NamespaceHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["NAMESPACE"];

    /// <inheritdoc />
    public ImapState States => ImapState.LoggedIn;

    /// <inheritdoc />
    public Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        session.Untagged($"NAMESPACE ((\"\" \"/\")) ((\"{OtherUsersNamespace.Prefix}\" \"/\")) NIL");
        return Task.FromResult(ImapResult.Ok("NAMESPACE completed"));
    }
}
