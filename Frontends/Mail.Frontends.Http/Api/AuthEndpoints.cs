using Mail.Frontends.Hosting;
using Mail.Frontends.Http.Auth;
using Mail.Frontends.Http.Pipeline;

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
            var (account, problem) = await PasswordLogin.VerifyAsync(request.Username, request.Password, http, verifier);
            if (account is null) return problem!;
            var token = issuer.Issue(account);
            return Results.Ok(new TokenResponse(token, "Bearer", (int)issuer.Lifetime.TotalSeconds));
        }).AllowAnonymous().WithName("CreateToken").WithBodyLimit(BodyLimit.Credentials);
    }
}
