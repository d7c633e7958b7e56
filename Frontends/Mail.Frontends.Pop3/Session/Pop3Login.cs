using Mail.Frontends.Hosting;
using Mail.Frontends.Pop3.Protocol;
using Microsoft.Extensions.Logging;

namespace Mail.Frontends.Pop3.Session;

/// <summary>
/// The end of USER/PASS and AUTH: checks the credentials (the account password, an app password, or an API
/// key, as SMTP AUTH does), then locks and opens the maildrop and enters TRANSACTION (RFC 1939 §4, §8).
/// </summary>
public static class Pop3Login
{
    /// <summary>Logs in and queues the response.</summary>
    public static async Task LogInAsync(Pop3Session session, string user, string password)
    {
        var account = await session.Credentials.VerifyAsync(user, password, session.RemoteAddress, CredentialUse.MailboxAccess);
        if (account is null)
        {
            // RFC 2449 §8, RFC 3206 §4: [AUTH] for every credential failure, throttled or not, so nothing is told apart.
            session.Reply(Pop3Response.Error("Authentication failed", Pop3ResponseCodes.Auth));
            return;
        }
        var maildrop = await Pop3Maildrop.OpenAsync(session.Grains, account.AccountId, session.Id, session.LockLease);
        if (maildrop is null)
        {
            session.Reply(Pop3Response.Error("maildrop already locked", Pop3ResponseCodes.InUse));
            return;
        }
        session.Maildrop = maildrop;
        session.Account = account;
        session.State = Pop3State.Transaction;
        session.Logger.LogDebug("Session {Session}: {Account} logged in with {Count} messages", session.Id, account.AccountId, maildrop.Count);
        session.Reply(Pop3Responses.MaildropSize(maildrop));
    }
}
