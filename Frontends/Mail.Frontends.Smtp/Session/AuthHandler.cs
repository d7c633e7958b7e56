using System.Text;
using Mail.Frontends.Hosting;
using Mail.Frontends.Smtp.Protocol;
using Mail.Grains.Interfaces.Accounts;

namespace Mail.Frontends.Smtp.Session;

/// <summary>
/// AUTH (RFC 4954) with PLAIN (RFC 4616) and LOGIN, on submission listeners only and only under TLS.
/// The password may be the account password, an app password, or an API key.
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
        var account = await session.Credentials.VerifyAsync(credentials.User!, credentials.Password!, session.RemoteAddress, CredentialUse.Submission);
        if (account is null)
        {
            // RFC 4954 §6: one answer for a wrong user, a wrong password, a suspended account and a throttled client.
            session.Reply(new SmtpReply(535, "5.7.8", "Authentication credentials invalid"));
            return;
        }
        session.Account = account;
        session.Reply(new SmtpReply(235, "2.7.0", "Authentication successful"));
    }

    // RFC 4616 §2: [authzid] NUL authcid NUL passwd. An authzid other than the authcid is refused.
    private static async Task<Outcome> PlainAsync(SmtpSession session, string? initial, CancellationToken ct)
    {
        var response = initial ?? await ChallengeAsync(session, "", ct);
        if (response is null) return Outcome.Fail(new SmtpReply(501, "5.7.0", "Authentication cancelled"));
        var decoded = Decode(response);
        if (decoded is null) return Outcome.Fail(new SmtpReply(501, "5.5.2", "Cannot decode response"));
        var fields = decoded.Split('\0');
        if (fields.Length != 3 || fields[1].Length == 0) return Outcome.Fail(new SmtpReply(501, "5.5.2", "Malformed PLAIN response"));
        if (fields[0].Length > 0 && !string.Equals(fields[0], fields[1], StringComparison.OrdinalIgnoreCase))
        {
            return Outcome.Fail(new SmtpReply(535, "5.7.8", "Authentication credentials invalid"));
        }
        return new Outcome(fields[1], fields[2], null);
    }

    private static async Task<Outcome> LoginAsync(SmtpSession session, string? initial, CancellationToken ct)
    {
        var user = initial is null ? await ChallengeAsync(session, "VXNlcm5hbWU6", ct) : initial;
        if (user is null) return Outcome.Fail(new SmtpReply(501, "5.7.0", "Authentication cancelled"));
        var password = await ChallengeAsync(session, "UGFzc3dvcmQ6", ct);
        if (password is null) return Outcome.Fail(new SmtpReply(501, "5.7.0", "Authentication cancelled"));
        var decodedUser = Decode(user);
        var decodedPassword = Decode(password);
        return decodedUser is null || decodedPassword is null
            ? Outcome.Fail(new SmtpReply(501, "5.5.2", "Cannot decode response"))
            : new Outcome(decodedUser, decodedPassword, null);
    }

    /// <summary>Sends a 334 challenge and reads the answer; null when the client cancels with "*" or goes away.</summary>
    private static async Task<string?> ChallengeAsync(SmtpSession session, string challenge, CancellationToken ct)
    {
        session.Reply(new SmtpReply(334, null, challenge));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(session.Options.CommandTimeoutSeconds));
        var line = await session.ReadLineAsync(timeout.Token);
        if (line is not { Status: LineStatus.Complete } complete) return null;
        var text = Encoding.ASCII.GetString(complete.Line).Trim();
        return text == "*" ? null : text;
    }

    private static string? Decode(string base64)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64 == "=" ? "" : base64));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private sealed record Outcome(string? User, string? Password, SmtpReply? Reply)
    {
        public static Outcome Fail(SmtpReply reply) => new(null, null, reply);
    }
}
