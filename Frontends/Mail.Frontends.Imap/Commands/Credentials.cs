using Mail.Frontends.Hosting;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Accounts;

namespace Mail.Frontends.Imap.Commands;

/// <summary>Checks a user name and password (account password, app password or API key) against the account grains.</summary>
public static class Credentials
{
    /// <summary>The account, or null when the credentials are wrong or the account is suspended.</summary>
    public static Task<AccountInfo?> VerifyAsync(ImapSession session, string user, string password) =>
        session.Credentials.VerifyAsync(user, password, session.RemoteAddress, CredentialUse.MailboxAccess);

    /// <summary>
    /// Completes a login or counts a failure; a few failures end the session. The failure answer is the same for a wrong
    /// user, a wrong password and a throttled client (RFC 5530 AUTHENTICATIONFAILED); the delay is the verifier's.
    /// </summary>
    public static Task<ImapResult> CompleteAsync(ImapSession session, AccountInfo? account)
    {
        if (account is null)
        {
            if (++session.AuthFailures >= 5)
            {
                session.Untagged("BYE Too many failed authentication attempts");
                session.Closing = true;
            }
            return Task.FromResult(ImapResult.No("Authentication failed", "AUTHENTICATIONFAILED"));
        }
        session.LogIn(account);
        return Task.FromResult(ImapResult.Ok("Logged in", "CAPABILITY " + session.Capabilities()));
    }
}
