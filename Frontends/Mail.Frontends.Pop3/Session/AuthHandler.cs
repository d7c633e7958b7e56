using System.Buffers;
using System.Text;
using Mail.Frontends.Hosting;
using Mail.Frontends.Pop3.Protocol;

namespace Mail.Frontends.Pop3.Session;

/// <summary>
/// AUTH (RFC 5034) with PLAIN (RFC 4616), with an initial response or after an empty "+ " challenge;
/// "*" cancels (RFC 5034 §4). Without arguments it lists the mechanisms, as Dovecot and RFC 1734 clients
/// expect. Refused before TLS unless plaintext login is allowed (RFC 2595 §4).
/// </summary>
public sealed class AuthHandler : IPop3CommandHandler
{
    private const string Mechanism = "PLAIN";

    /// <inheritdoc />
    public string Keyword => "AUTH";

    /// <inheritdoc />
    public Pop3State ValidIn => Pop3State.Authorization;

    /// <inheritdoc />
    public async Task HandleAsync(Pop3Session session, Pop3Command command, CancellationToken ct)
    {
        if (!session.MayAuthenticate)
        {
            session.Reply(Pop3Responses.TlsRequired);
            return;
        }
        var arguments = command.Arguments;
        if (arguments.Count == 0)
        {
            session.Reply(Pop3Response.Multiline("", [Mechanism]));
            return;
        }
        if (arguments.Count > 2 || arguments.Any(a => a.Length == 0))
        {
            session.Reply(Pop3Responses.Syntax("AUTH mechanism [initial-response]"));
            return;
        }
        if (!arguments[0].Equals(Mechanism, StringComparison.OrdinalIgnoreCase))
        {
            session.Reply(Pop3Response.Error("unrecognized authentication mechanism"));
            return;
        }
        var response = arguments.Count == 2 ? arguments[1] : await ChallengeAsync(session, ct);
        if (response is null) return;
        // RFC 4616 §2 through the shared decoder; RFC 5034 §4: "=" is an empty initial response, "*" cancels.
        var decoded = session.Sasl.DecodePlain(response);
        switch (decoded.Status)
        {
            case SaslStatus.Ok:
                await Pop3Login.LogInAsync(session, decoded.User, decoded.Secret);
                return;
            case SaslStatus.Cancelled:
                session.Reply(Pop3Response.Error("authentication cancelled"));
                return;
            case SaslStatus.BadEncoding or SaslStatus.TooLong:
                session.Reply(Pop3Response.Error("malformed base64 response"));
                return;
            case SaslStatus.Malformed:
                session.Reply(Pop3Response.Error("malformed PLAIN response"));
                return;
            default:
                session.Reply(Pop3Response.Error("Authentication failed", Pop3ResponseCodes.Auth));
                return;
        }
    }

    /// <summary>
    /// Sends the empty challenge "+ " and reads the client's line. Null when there is no answer to give: the
    /// client went away or stayed silent past the deadline (closed without a response, RFC 1939 §3).
    /// </summary>
    private static async Task<string?> ChallengeAsync(Pop3Session session, CancellationToken ct)
    {
        session.Transport.Output.Write("+ \r\n"u8);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(session.Deadlines.Idle);
        ProtocolLine? read;
        try
        {
            read = await session.ReadLineAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            session.Closing = true;
            return null;
        }
        if (read is null)
        {
            session.Closing = true;
            return null;
        }
        if (read.Value.Status == LineStatus.TooLong)
        {
            session.Reply(Pop3Responses.LineTooLong);
            return null;
        }
        return Encoding.ASCII.GetString(read.Value.Line);
    }
}
