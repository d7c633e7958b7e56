using Mail.Frontends.Hosting;
using Mail.Frontends.ManageSieve.Protocol;

namespace Mail.Frontends.ManageSieve.Session;

/// <summary>
/// AUTHENTICATE "PLAIN" [initial-response] (RFC 5804 §2.1, RFC 4616): without an initial response the server sends an
/// empty challenge string and reads the client's string; "*" cancels. Refused before TLS unless plaintext is allowed.
/// </summary>
public sealed class AuthenticateHandler : IManageSieveHandler
{
    /// <inheritdoc />
    public string Keyword => "AUTHENTICATE";

    /// <inheritdoc />
    public bool RequiresAuthentication => false;

    /// <inheritdoc />
    public async Task HandleAsync(ManageSieveSession session, ManageSieveCommand command, CancellationToken ct)
    {
        if (session.Account is not null)
        {
            session.Write(ManageSieveResponse.No("already authenticated"));
            return;
        }
        if (!session.MayAuthenticate)
        {
            session.Write(ManageSieveResponse.No("use STARTTLS first", "ENCRYPT-NEEDED"));
            return;
        }
        if (command.Arguments.Count is 0 or > 2)
        {
            session.Write(ManageSieveResponse.No("syntax: AUTHENTICATE \"PLAIN\" [initial-response]"));
            return;
        }
        if (!command.Arguments[0].Equals("PLAIN", StringComparison.OrdinalIgnoreCase))
        {
            session.Write(ManageSieveResponse.No("unsupported SASL mechanism"));
            return;
        }
        string response;
        if (command.Arguments.Count == 2)
        {
            response = command.Arguments[1];
        }
        else
        {
            session.Write("\"\"\r\n");
            var answer = await session.ReadCommandAsync(ct);
            if (answer is not { } line)
            {
                session.Closing = true;
                return;
            }
            // The client's answer is one string (quoted or literal); as a lone token it arrives as the "keyword".
            response = line.Error is null && line.Arguments.Count == 0 ? line.Word : "";
            if (response == "*")
            {
                session.Write(ManageSieveResponse.No("authentication cancelled"));
                return;
            }
        }
        var decoded = session.Sasl.DecodePlain(response);
        if (decoded.Status == SaslStatus.Cancelled)
        {
            session.Write(ManageSieveResponse.No("authentication cancelled"));
            return;
        }
        if (decoded.Status != SaslStatus.Ok)
        {
            session.Write(ManageSieveResponse.No("malformed PLAIN response"));
            return;
        }
        var account = await session.Credentials.VerifyAsync(decoded.User, decoded.Secret, session.RemoteAddress, CredentialUse.MailboxAccess);
        if (account is null)
        {
            session.Write(ManageSieveResponse.No("Authentication failed"));
            return;
        }
        session.Account = account;
        session.Write(ManageSieveResponse.Ok("Authenticated"));
    }
}
