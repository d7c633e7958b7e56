using System.Net;
using Mail.Frontends.Hosting;
using Mail.Frontends.Http.Errors;
using Mail.Grains.Interfaces.Accounts;
using Microsoft.AspNetCore.Http;

namespace Mail.Frontends.Http.Api;

/// <summary>
/// The account-password check behind POST /v1/auth/token and POST /v1/auth/session: the same throttled verification as
/// the mail protocols, and never an app password or an API key.
/// </summary>
public static class PasswordLogin
{
    /// <summary>The account, or the problem to answer (400 for a missing field, 401 for a wrong or suspended login).</summary>
    public static async Task<(AccountInfo? Account, IResult? Problem)> VerifyAsync(
        string? username, string? password, HttpContext http, CredentialVerifier verifier)
    {
        var address = AddressKey.Normalize(username);
        if (address is null || string.IsNullOrEmpty(password))
        {
            return (null, Problems.BadRequest("username (an e-mail address) and password are required."));
        }
        var client = http.Connection.RemoteIpAddress ?? IPAddress.None;
        var account = await verifier.VerifyAsync(address, password, client, CredentialUse.AccountPassword);
        return account is null
            ? (null, Problems.Unauthorized("Invalid username or password, or the account is suspended."))
            : (account, null);
    }
}
