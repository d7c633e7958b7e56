using System.Security.Cryptography;
using System.Text;

namespace Mail.Frontends.Http.Auth;

/// <summary>The operator token that guards /v1/admin, compared in constant time.</summary>
public sealed class AdminToken(string token)
{
    /// <summary>Header that carries the token (Authorization: Bearer works too).</summary>
    public const string Header = "X-Admin-Token";

    private readonly byte[] _digest = SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>Whether the request carries the token.</summary>
    public bool IsPresentedBy(HttpRequest request)
    {
        var presented = request.Headers.TryGetValue(Header, out var header) ? header.ToString() : null;
        var authorization = request.Headers.Authorization.ToString();
        if (presented is null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) presented = authorization[7..].Trim();
        return presented is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _digest);
    }
}
