using System.Globalization;
using Mail.Frontends.Hosting;
using Mail.Grains.Interfaces.Accounts;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Mail.Frontends.Http.Auth;

/// <summary>
/// Validates the API's own access tokens (signature, issuer, audience, lifetime: <see cref="TokenIssuer"/>) for the mail
/// protocols, and that the token's version is the account's current one (a password change or suspension revokes it)
/// and its scope allows the use.
/// </summary>
public sealed class BearerTokenVerifier(TokenIssuer issuer, IGrainFactory grains) : IBearerTokenVerifier
{
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    /// <inheritdoc />
    public async Task<AccountInfo?> VerifyAsync(string token, string scope)
    {
        if (token.Length == 0 || token.Length > 8192) return null;
        var result = await _handler.ValidateTokenAsync(token, issuer.ValidationParameters());
        if (!result.IsValid) return null;
        var claims = result.ClaimsIdentity;
        var accountId = claims.FindFirst("sub")?.Value;
        var granted = claims.FindFirst(ScopePolicies.Claim)?.Value ?? "";
        if (accountId is null || !ApiKeyScopes.Allows(granted, scope)) return null;
        if (!int.TryParse(claims.FindFirst(TokenRevocation.VersionClaim)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var version)) return null;
        var account = await grains.GetGrain<IAccountGrain>(accountId).GetAsync();
        return account is { Suspended: false } && account.TokenVersion == version ? account : null;
    }
}
