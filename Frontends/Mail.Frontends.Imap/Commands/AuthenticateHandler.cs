using Mail.Frontends.Hosting;
using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;

namespace Mail.Frontends.Imap.Commands;

/// <summary>AUTHENTICATE PLAIN (RFC 9051 §6.2.2, RFC 4616), with an initial response (SASL-IR, RFC 4959) or after "+ ".</summary>
public sealed class AuthenticateHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["AUTHENTICATE"];

    /// <inheritdoc />
    public ImapState States => ImapState.NotAuthenticated;

    /// <inheritdoc />
    public async Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        var authenticate = (AuthenticateCommand)command;
        if (authenticate.Mechanism != "PLAIN") return ImapResult.No("Unsupported authentication mechanism", "CANNOT");
        if (!session.PlaintextAuthAllowed) return ImapResult.No("Authentication is disabled before STARTTLS", "PRIVACYREQUIRED");
        var response = authenticate.InitialResponse;
        if (response is null)
        {
            session.Continuation("");
            await session.FlushAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(session.Deadlines.Idle);
            try
            {
                response = await session.ReadLineAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                session.Untagged("BYE Autologout; no authentication response in time");
                session.Closing = true;
                return ImapResult.Bad("Authentication timed out");
            }
            if (response is null)
            {
                session.Closing = true;
                return ImapResult.Bad("Connection closed");
            }
        }
        // RFC 4616 §2 through the shared decoder (RFC 9051 §6.2.2: "*" cancels; RFC 4959: "=" is an empty initial response).
        var decoded = session.Sasl.DecodePlain(response);
        return decoded.Status switch
        {
            SaslStatus.Ok => await Credentials.CompleteAsync(session, await Credentials.VerifyAsync(session, decoded.User, decoded.Secret)),
            SaslStatus.Cancelled => ImapResult.Bad("Authentication cancelled"),
            SaslStatus.BadEncoding or SaslStatus.TooLong => ImapResult.Bad("Invalid base64 in authentication response"),
            SaslStatus.Malformed => ImapResult.Bad("Malformed PLAIN response"),
            // Acting for another user is not offered: the generic failure, counted like a wrong password.
            _ => await Credentials.CompleteAsync(session, null),
        };
    }
}
