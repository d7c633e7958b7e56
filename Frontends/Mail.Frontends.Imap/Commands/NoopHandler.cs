using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;

namespace Mail.Frontends.Imap.Commands;

/// <summary>NOOP (RFC 9051 §6.1.2) and CHECK (RFC 3501 §6.4.1): nothing but the unsolicited updates the session sends after every command.</summary>
public sealed class NoopHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["NOOP", "CHECK"];

    /// <inheritdoc />
    public ImapState States => ImapState.Any;

    /// <inheritdoc />
    public Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct) =>
        Task.FromResult(ImapResult.Ok(command.Name + " completed"));
}
