using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// COMPRESS DEFLATE (RFC 4978 §3), after authentication: the tagged OK goes out uncompressed, then both directions are raw
/// DEFLATE with a sync flush after each response (<see cref="Mail.Frontends.Hosting.ConnectionTransport.StartCompressionAsync"/>).
/// A second COMPRESS is NO [COMPRESSIONACTIVE]; an unknown mechanism is BAD.
/// </summary>
public sealed class CompressHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["COMPRESS"];

    /// <inheritdoc />
    public ImapState States => ImapState.LoggedIn;

    /// <inheritdoc />
    public async Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        var compress = (CompressCommand)command;
        if (!compress.Mechanism.Equals("DEFLATE", StringComparison.OrdinalIgnoreCase)) return ImapResult.Bad($"Unknown compression mechanism {compress.Mechanism}");
        if (session.Transport.IsCompressed) return ImapResult.No("Compression is already active", "COMPRESSIONACTIVE");
        session.Tagged(command.Tag, ImapResult.Ok("DEFLATE active"), command.Name);
        await session.Transport.StartCompressionAsync(ct);
        return ImapSession.AlreadyAnswered;
    }
}
