using Mail.Frontends.Smtp.Protocol;

namespace Mail.Frontends.Smtp.Session;

/// <summary>EHLO (RFC 5321 §4.1.1.1): greets and lists the extensions this listener offers now.</summary>
public sealed class EhloHandler : ISmtpCommandHandler
{
    /// <inheritdoc />
    public string Verb => "EHLO";

    /// <inheritdoc />
    public async Task HandleAsync(SmtpSession session, string argument, CancellationToken ct)
    {
        if (ControlCharacters.AnyIn(argument))
        {
            session.Reply(SmtpReplies.ControlCharacter);
            return;
        }
        var name = argument.Trim();
        if (name.Length == 0 || name.Contains(' '))
        {
            session.Reply(SmtpReplies.Syntax("Syntax: EHLO hostname"));
            return;
        }
        await session.ResetTransactionAsync();
        session.ClientName = name;
        session.Extended = true;
        var lines = new List<string>
        {
            session.Options.HostName,
            "PIPELINING",
            $"SIZE {session.Options.MaxMessageBytes}",
            "8BITMIME",
            "SMTPUTF8",
            "ENHANCEDSTATUSCODES",
            "CHUNKING",
            "DSN",
        };
        if (!session.Transport.IsTls && session.Certificate is not null) lines.Add("STARTTLS");
        if (session.IsSubmission && (session.Transport.IsTls || session.Options.AllowPlaintextAuth)) lines.Add(session.Credentials.BearerTokensAccepted ? "AUTH PLAIN LOGIN OAUTHBEARER XOAUTH2" : "AUTH PLAIN LOGIN");
        lines.Add("HELP");
        session.Reply(new SmtpReply(250, null, lines));
    }
}
