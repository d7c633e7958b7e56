using System.Text;
using Mail.Frontends.Hosting;
using Mail.Frontends.Smtp.Protocol;
using Mail.Grains.Interfaces.Accounts;

namespace Mail.Frontends.Smtp.Session;

/// <summary>
/// AUTH (RFC 4954) with PLAIN (RFC 4616) and LOGIN, on submission listeners only and only under TLS.
/// The password may be the account password, an app password, or an API key. OAUTHBEARER (RFC 7628) and XOAUTH2 carry
/// an access token of the HTTP API instead, where that frontend runs in the same host.
/// </summary>
public sealed class AuthHandler : ISmtpCommandHandler
{
    /// <inheritdoc />
    public string Verb => "AUTH";

    /// <inheritdoc />
    public async Task HandleAsync(SmtpSession session, string argument, CancellationToken ct)
    {
        if (!session.IsSubmission)
        {
            session.Reply(SmtpReplies.BadSequence("authentication not enabled"));
            return;
        }
        if (!session.Transport.IsTls && !session.Options.AllowPlaintextAuth)
        {
            session.Reply(new SmtpReply(538, "5.7.11", "Encryption required for requested authentication mechanism"));
            return;
        }
        if (session.ClientName is null)
        {
            session.Reply(SmtpReplies.BadSequence("send EHLO first"));
            return;
        }
        if (session.Account is not null)
        {
            session.Reply(SmtpReplies.BadSequence("already authenticated"));
            return;
        }
        if (session.Envelope is not null)
        {
            session.Reply(SmtpReplies.BadSequence("MAIL transaction in progress"));
            return;
        }
        var parts = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is 0 or > 2)
        {
            session.Reply(SmtpReplies.Syntax("Syntax: AUTH mechanism [initial-response]"));
            return;
        }
        Outcome credentials;
        try
        {
            credentials = parts[0].ToUpperInvariant() switch
            {
                "PLAIN" => await PlainAsync(session, parts.Length == 2 ? parts[1] : null, ct),
                "LOGIN" => await LoginAsync(session, parts.Length == 2 ? parts[1] : null, ct),
                "OAUTHBEARER" or "XOAUTH2" when session.Credentials.BearerTokensAccepted =>
                    await BearerAsync(session, parts[0].ToUpperInvariant(), parts.Length == 2 ? parts[1] : null, ct),
                _ => Outcome.Fail(new SmtpReply(504, "5.5.4", "Unrecognized authentication type")),
            };
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            session.Reply(SmtpReplies.Timeout(session.Options.HostName));
            session.Closing = true;
            return;
        }
        if (credentials.Reply is { } reply)
        {
            session.Reply(reply);
            return;
        }
        var account = credentials.Bearer
            ? await session.Credentials.VerifyBearerAsync(credentials.User, credentials.Password!, session.RemoteAddress, CredentialUse.Submission)
            : await session.Credentials.VerifyAsync(credentials.User!, credentials.Password!, session.RemoteAddress, CredentialUse.Submission);
        if (account is null && credentials.Bearer)
        {
            // RFC 7628 §3.2.2: the failure comes as a challenge carrying the error, which the client answers before the 535.
            if (await ChallengeAsync(session, SaslDecoder.BearerFailureChallenge(), ct) is null)
            {
                session.Reply(Cancelled);
                return;
            }
        }
        if (account is null)
        {
            // RFC 4954 §6: one answer for a wrong user, a wrong password, a suspended account and a throttled client.
            session.Reply(Invalid);
            return;
        }
        session.Account = account;
        session.Reply(new SmtpReply(235, "2.7.0", "Authentication successful"));
    }

    private static readonly SmtpReply Cancelled = new(501, "5.7.0", "Authentication cancelled");
    private static readonly SmtpReply Invalid = new(535, "5.7.8", "Authentication credentials invalid");

    // RFC 4616 §2 through the shared decoder; an authzid other than the authcid gets the generic failure.
    private static async Task<Outcome> PlainAsync(SmtpSession session, string? initial, CancellationToken ct)
    {
        var response = initial ?? await ChallengeAsync(session, "", ct);
        if (response is null) return Outcome.Fail(Cancelled);
        var decoded = session.Sasl.DecodePlain(response);
        return decoded.Status == SaslStatus.Ok ? new Outcome(decoded.User, decoded.Secret, null) : Outcome.Fail(Refusal(decoded.Status, "PLAIN"));
    }

    private static async Task<Outcome> LoginAsync(SmtpSession session, string? initial, CancellationToken ct)
    {
        var user = initial ?? await ChallengeAsync(session, "VXNlcm5hbWU6", ct);
        if (user is null) return Outcome.Fail(Cancelled);
        var userStatus = session.Sasl.DecodeLoginField(user, out var decodedUser);
        if (userStatus != SaslStatus.Ok) return Outcome.Fail(Refusal(userStatus, "LOGIN"));
        var password = await ChallengeAsync(session, "UGFzc3dvcmQ6", ct);
        if (password is null) return Outcome.Fail(Cancelled);
        var passwordStatus = session.Sasl.DecodeLoginField(password, out var decodedPassword);
        return passwordStatus == SaslStatus.Ok ? new Outcome(decodedUser, decodedPassword, null) : Outcome.Fail(Refusal(passwordStatus, "LOGIN"));
    }

    private static async Task<Outcome> BearerAsync(SmtpSession session, string mechanism, string? initial, CancellationToken ct)
    {
        var response = initial ?? await ChallengeAsync(session, "", ct);
        if (response is null) return Outcome.Fail(Cancelled);
        var decoded = session.Sasl.DecodeBearer(response, xoauth2: mechanism == "XOAUTH2");
        return decoded.Status == SaslStatus.Ok ? new Outcome(decoded.User, decoded.Secret, null, Bearer: true) : Outcome.Fail(Refusal(decoded.Status, mechanism));
    }

    /// <summary>RFC 4954 §4: 501 for a cancelled or undecodable response, 535 for credentials the server will not accept.</summary>
    private static SmtpReply Refusal(SaslStatus status, string mechanism) => status switch
    {
        SaslStatus.Cancelled => Cancelled,
        SaslStatus.BadEncoding or SaslStatus.TooLong => new SmtpReply(501, "5.5.2", "Cannot decode response"),
        SaslStatus.Malformed => new SmtpReply(501, "5.5.2", $"Malformed {mechanism} response"),
        _ => Invalid,
    };

    /// <summary>Sends a 334 challenge and reads the answer within the session's deadline; null when the client goes away or sends too much.</summary>
    private static async Task<string?> ChallengeAsync(SmtpSession session, string challenge, CancellationToken ct)
    {
        session.Reply(new SmtpReply(334, null, challenge));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(session.Deadlines.Idle);
        var line = await session.ReadLineAsync(timeout.Token);
        return line is { Status: LineStatus.Complete } complete ? Encoding.ASCII.GetString(complete.Line) : null;
    }

    private sealed record Outcome(string? User, string? Password, SmtpReply? Reply, bool Bearer = false)
    {
        public static Outcome Fail(SmtpReply reply) => new(null, null, reply);
    }
}
