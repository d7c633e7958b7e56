using Mail.Frontends.Http.Auth;
using Mail.Frontends.Http.Errors;
using Mail.Grains.Interfaces.Accounts;

namespace Mail.Frontends.Http.Api;

/// <summary>POST /v1/auth/token: a password login that returns a bearer token.</summary>
public static class AuthEndpoints
{
    /// <summary>Body of the token request.</summary>
    public sealed record TokenRequest(string? Username, string? Password);

    /// <summary>Answer of the token request.</summary>
    public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn);

    /// <summary>Maps the endpoints.</summary>
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapPost("/auth/token", async (TokenRequest request, IGrainFactory grains, TokenIssuer issuer) =>
        {
            var address = AddressKey.Normalize(request.Username);
            if (address is null || string.IsNullOrEmpty(request.Password))
            {
                return Problems.BadRequest("username (an e-mail address) and password are required.");
            }
            var route = await grains.GetGrain<IAddressGrain>(address).ResolveAsync();
            var account = route is null ? null : await grains.GetGrain<IAccountGrain>(route.AccountId).AuthenticateAsync(request.Password);
            if (account is null) return Problems.Unauthorized("Invalid username or password, or the account is suspended.");
            var token = issuer.Issue(new MailUser(account.AccountId, account.TenantId, account.Address));
            return Results.Ok(new TokenResponse(token, "Bearer", (int)issuer.Lifetime.TotalSeconds));
        }).AllowAnonymous().WithName("CreateToken");
    }
}
