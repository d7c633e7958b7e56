using System.Text;
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
            timeout.CancelAfter(TimeSpan.FromMinutes(1));
            response = await session.ReadLineAsync(timeout.Token);
            if (response is null)
            {
                session.Closing = true;
                return ImapResult.Bad("Connection closed");
            }
        }
        if (response.Trim() == "*") return ImapResult.Bad("Authentication cancelled");
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(response.Trim() == "=" ? "" : response.Trim()));
        }
        catch (FormatException)
        {
            return ImapResult.Bad("Invalid base64 in authentication response");
        }
        // RFC 4616 §2: [authzid] NUL authcid NUL passwd; acting for another user is not offered.
        var fields = decoded.Split('\0');
        if (fields.Length != 3 || fields[1].Length == 0) return ImapResult.Bad("Malformed PLAIN response");
        if (fields[0].Length > 0 && !string.Equals(fields[0], fields[1], StringComparison.OrdinalIgnoreCase))
        {
            return await Credentials.CompleteAsync(session, null);
        }
        return await Credentials.CompleteAsync(session, await Credentials.VerifyAsync(session, fields[1], fields[2]));
    }
}
