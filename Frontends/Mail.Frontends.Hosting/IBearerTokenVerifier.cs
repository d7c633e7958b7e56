using Mail.Grains.Interfaces.Accounts;

namespace Mail.Frontends.Hosting;

/// <summary>
/// Checks an access token of the HTTP API for the mail protocols' OAUTHBEARER and XOAUTH2 mechanisms (RFC 7628): the
/// HTTP frontend, which issues the tokens, provides it; without it those mechanisms are not offered.
/// </summary>
public interface IBearerTokenVerifier
{
    /// <summary>The account a valid, unrevoked token was issued to with at least <paramref name="scope"/>, else null.</summary>
    Task<AccountInfo?> VerifyAsync(string token, string scope);
}
