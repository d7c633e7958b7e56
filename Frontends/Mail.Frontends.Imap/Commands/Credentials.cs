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
    public static async Task<ImapResult> CompleteAsync(ImapSession session, AccountInfo? account, string? user = null)
    {
        if (account is null)
        {
            if (++session.AuthFailures >= 5)
            {
                session.Untagged("BYE Too many failed authentication attempts");
                session.Closing = true;
            }
            if (user is not null && await ReferralAsync(session, user) is { } referral)
            {
                return ImapResult.No("This user's mailbox is on another server", "REFERRAL " + referral);
            }
            return ImapResult.No("Authentication failed", "AUTHENTICATIONFAILED");
        }
        session.LogIn(account);
        return ImapResult.Ok("Logged in", "CAPABILITY " + session.Capabilities());
    }

    /// <summary>
    /// LOGIN-REFERRALS (RFC 2221 §4.1): for a domain configured in <see cref="ImapOptions.Referrals"/> (mailboxes still on
    /// another server, as during a migration), a user with no account here is referred there with an IMAP URL (RFC 5092).
    /// </summary>
    private static async Task<string?> ReferralAsync(ImapSession session, string user)
    {
        if (AddressKey.Normalize(user) is not { } address) return null;
        var domain = address[(address.LastIndexOf('@') + 1)..];
        if (!session.Options.Referrals.TryGetValue(domain, out var server) || string.IsNullOrWhiteSpace(server)) return null;
        if (await session.Grains.GetGrain<IAddressGrain>(address).ResolveAsync() is not null) return null;
        return $"imap://{Uri.EscapeDataString(address)};AUTH=*@{server.Trim()}/";
    }
}
