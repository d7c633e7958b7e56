using Mail.Frontends.Hosting;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Accounts;

namespace Mail.Frontends.Imap.Commands;

/// <summary>Checks a user name and password (account password, app password or API key) against the account grains.</summary>
public static class Credentials
{
    /// <summary>The account, or null when the credentials are wrong or the account is suspended.</summary>
    public static async Task<AccountInfo?> VerifyAsync(ImapSession session, string user, string password) =>
        await CredentialVerifier.VerifyAsync(session.Grains, user, password) is { Suspended: false } account ? account : null;

    /// <summary>Completes a login or counts a failure; a few failures end the session.</summary>
    public static async Task<ImapResult> CompleteAsync(ImapSession session, AccountInfo? account)
    {
        if (account is null)
        {
            // A pause per failure slows guessing without holding anything but this connection.
            await Task.Delay(TimeSpan.FromMilliseconds(250 * Math.Min(++session.AuthFailures, 8)));
            if (session.AuthFailures >= 5)
            {
                session.Untagged("BYE Too many failed authentication attempts");
                session.Closing = true;
            }
            return ImapResult.No("Authentication failed", "AUTHENTICATIONFAILED");
        }
        session.LogIn(account);
        return ImapResult.Ok("Logged in", "CAPABILITY " + session.Capabilities());
    }
}
