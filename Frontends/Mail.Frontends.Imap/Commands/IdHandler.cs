using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;

namespace Mail.Frontends.Imap.Commands;

/// <summary>ID (RFC 2971): names the server; the client's fields are only logged.</summary>
public sealed class IdHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["ID"];

    /// <inheritdoc />
    public ImapState States => ImapState.Any;

    /// <inheritdoc />
    public Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        session.Untagged("ID (\"name\" \"Mail\" \"vendor\" \"Mail\")");
        return Task.FromResult(ImapResult.Ok("ID completed"));
    }
}
