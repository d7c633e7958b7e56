using System.Net;
using Mail.Frontends.Hosting;
using Mail.Frontends.Http.Auth;
using Mail.Frontends.Http.Errors;
using Mail.Frontends.Http.Pipeline;
using Mail.Grains.Interfaces.Accounts;

namespace Mail.Frontends.Http.Api;

/// <summary>
/// POST /v1/auth/token: a login with the account password (never an app password or an API key) that returns a bearer
/// token, through the same throttled check as the mail protocols.
/// </summary>
public static class AuthEndpoints
{
    /// <summary>Body of the token request.</summary>
    public sealed record TokenRequest(string? Username, string? Password);

    /// <summary>Answer of the token request.</summary>
    public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn);

    /// <summary>Maps the endpoints.</summary>
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapPost("/auth/token", async (TokenRequest request, HttpContext http, CredentialVerifier verifier, TokenIssuer issuer) =>
        {
            var address = AddressKey.Normalize(request.Username);
            if (address is null || string.IsNullOrEmpty(request.Password))
            {
                return Problems.BadRequest("username (an e-mail address) and password are required.");
            }
            var client = http.Connection.RemoteIpAddress ?? IPAddress.None;
            var account = await verifier.VerifyAsync(address, request.Password, client, CredentialUse.AccountPassword);
            if (account is null) return Problems.Unauthorized("Invalid username or password, or the account is suspended.");
            var token = issuer.Issue(account);
            return Results.Ok(new TokenResponse(token, "Bearer", (int)issuer.Lifetime.TotalSeconds));
        }).AllowAnonymous().WithName("CreateToken").WithBodyLimit(BodyLimit.Credentials);
    }
}
