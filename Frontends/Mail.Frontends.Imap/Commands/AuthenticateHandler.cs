using Mail.Frontends.Hosting;
using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// AUTHENTICATE (RFC 9051 §6.2.2) with PLAIN (RFC 4616), and OAUTHBEARER (RFC 7628) or XOAUTH2 carrying an access token of
/// the HTTP API; an initial response (SASL-IR, RFC 4959) or one after "+ ".
/// </summary>
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
        var bearer = authenticate.Mechanism is "OAUTHBEARER" or "XOAUTH2" && session.Credentials.BearerTokensAccepted;
        if (authenticate.Mechanism != "PLAIN" && !bearer) return ImapResult.No("Unsupported authentication mechanism", "CANNOT");
        if (!session.PlaintextAuthAllowed) return ImapResult.No("Authentication is disabled before STARTTLS", "PRIVACYREQUIRED");
        var (response, failure) = authenticate.InitialResponse is { } initial ? (initial, null) : await ReadResponseAsync(session, "", ct);
        if (failure is not null) return failure;
        var decoded = bearer ? session.Sasl.DecodeBearer(response!, xoauth2: authenticate.Mechanism == "XOAUTH2") : session.Sasl.DecodePlain(response!);
        switch (decoded.Status)
        {
            case SaslStatus.Cancelled:
                return ImapResult.Bad("Authentication cancelled");
            case SaslStatus.BadEncoding or SaslStatus.TooLong:
                return ImapResult.Bad("Invalid base64 in authentication response");
            case SaslStatus.Malformed:
                return ImapResult.Bad($"Malformed {authenticate.Mechanism} response");
            case SaslStatus.Ok when !bearer:
                // RFC 4616 §2 through the shared decoder (RFC 9051 §6.2.2: "*" cancels; RFC 4959: "=" is an empty initial response).
                return await Credentials.CompleteAsync(session, await Credentials.VerifyAsync(session, decoded.User, decoded.Secret), decoded.User);
            case SaslStatus.Ok:
            {
                var account = await session.Credentials.VerifyBearerAsync(decoded.User, decoded.Secret, session.RemoteAddress, CredentialUse.MailboxAccess);
                if (account is null)
                {
                    // RFC 7628 §3.2.2: the failure is a challenge with the error; the client answers it (%x01, or nothing
                    // for XOAUTH2) and then gets the tagged NO.
                    (_, failure) = await ReadResponseAsync(session, SaslDecoder.BearerFailureChallenge(), ct);
                    if (failure is not null) return failure;
                }
                return await Credentials.CompleteAsync(session, account);
            }
            default:
                // Acting for another user is not offered: the generic failure, counted like a wrong password.
                return await Credentials.CompleteAsync(session, null);
        }
    }

    /// <summary>Sends "+ challenge" and reads the client's answer, within the idle deadline.</summary>
    private static async Task<(string? Response, ImapResult? Failure)> ReadResponseAsync(ImapSession session, string challenge, CancellationToken ct)
    {
        session.Continuation(challenge);
        await session.FlushAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(session.Deadlines.Idle);
        try
        {
            var response = await session.ReadLineAsync(timeout.Token);
            if (response is not null) return (response, null);
            session.Closing = true;
            return (null, ImapResult.Bad("Connection closed"));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            session.Untagged("BYE Autologout; no authentication response in time");
            session.Closing = true;
            return (null, ImapResult.Bad("Authentication timed out"));
        }
    }
}
