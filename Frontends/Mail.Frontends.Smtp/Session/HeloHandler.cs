using Mail.Frontends.Smtp.Protocol;

namespace Mail.Frontends.Smtp.Session;

/// <summary>HELO (RFC 5321 §4.1.1.1): the plain SMTP greeting, no extensions.</summary>
public sealed class HeloHandler : ISmtpCommandHandler
{
    /// <inheritdoc />
    public string Verb => "HELO";

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
            session.Reply(SmtpReplies.Syntax("Syntax: HELO hostname"));
            return;
        }
        await session.ResetTransactionAsync();
        session.ClientName = name;
        session.Extended = false;
        session.Reply(new SmtpReply(250, null, session.Options.HostName));
    }
}
