using System.Globalization;
using System.Security.Claims;
using Mail.Grains.Interfaces.Accounts;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Mail.Frontends.Http.Auth;

/// <summary>Issues and describes the validation of HS256 access tokens (RFC 7519) for accounts.</summary>
public sealed class TokenIssuer(byte[] signingKey, TimeSpan lifetime)
{
    /// <summary>Issuer and audience of our tokens.</summary>
    public const string Issuer = "mail";

    private readonly SymmetricSecurityKey _key = new(signingKey);

    /// <summary>Token lifetime.</summary>
    public TimeSpan Lifetime => lifetime;

    /// <summary>
    /// A signed token for an account, at its current token version, with full scope; a browser session's token
    /// (<paramref name="csrf"/> set, see <see cref="BrowserSession"/>) carries its CSRF token and its own lifetime.
    /// </summary>
    public string Issue(AccountInfo account, TimeSpan? lifetimeOverride = null, string? csrf = null) => new JsonWebTokenHandler { MapInboundClaims = false }.CreateToken(new SecurityTokenDescriptor
    {
        Subject = new ClaimsIdentity(new MailUser(account.AccountId, account.TenantId, account.Address).ToClaims().Concat(
        [
            new Claim(TokenRevocation.VersionClaim, account.TokenVersion.ToString(CultureInfo.InvariantCulture)),
            new Claim(ScopePolicies.Claim, ApiKeyScopes.Full),
        ]).Concat(csrf is null ? [] : [new Claim(BrowserSession.CsrfClaim, csrf)])),
        Issuer = Issuer,
        Audience = Issuer,
        Expires = DateTime.UtcNow.Add(lifetimeOverride ?? lifetime),
        SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
    });

    /// <summary>What a valid token must satisfy.</summary>
    public TokenValidationParameters ValidationParameters() => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Issuer,
        IssuerSigningKey = _key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ClockSkew = TimeSpan.FromSeconds(30),
        NameClaimType = MailUser.AddressClaim,
    };
}
