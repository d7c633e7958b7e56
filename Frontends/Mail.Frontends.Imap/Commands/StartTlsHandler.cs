using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// STARTTLS (RFC 9051 §6.2.1): the tagged OK goes out in plaintext, pipelined plaintext after the command is
/// discarded, then the handshake; the client must ask for capabilities again.
/// </summary>
public sealed class StartTlsHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["STARTTLS"];

    /// <inheritdoc />
    public ImapState States => ImapState.NotAuthenticated;

    /// <inheritdoc />
    public async Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        if (session.Transport.IsTls) return ImapResult.Bad("TLS is already active");
        if (session.Certificate is null) return ImapResult.No("TLS is not available");
        // Left unflushed: the transport drops pipelined plaintext first and only then sends this reply, so a client's
        // ClientHello sent on reading it is never mistaken for pipelined plaintext and dropped.
        session.Tagged(command.Tag, ImapResult.Ok("Begin TLS negotiation now"), command.Name);
        if (!await session.Transport.TryStartTlsAsync(session.Certificate, session.Deadlines.Idle, ct))
        {
            session.Closing = true;
        }
        return ImapSession.AlreadyAnswered;
    }
}
