namespace Mail.Frontends.Smtp.Session;

/// <summary>RSET (RFC 5321 §4.1.1.5): abandons the transaction.</summary>
public sealed class RsetHandler : ISmtpCommandHandler
{
    /// <inheritdoc />
    public string Verb => "RSET";

    /// <inheritdoc />
    public async Task HandleAsync(SmtpSession session, string argument, CancellationToken ct)
    {
        await session.ResetTransactionAsync();
        session.Reply(SmtpReplies.Ok);
    }
}
