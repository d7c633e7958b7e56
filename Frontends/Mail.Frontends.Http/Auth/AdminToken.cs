using System.Security.Cryptography;
using System.Text;

namespace Mail.Frontends.Http.Auth;

/// <summary>The operator token that guards /v1/admin, compared in constant time.</summary>
public sealed class AdminToken(string token)
{
    /// <summary>Header that carries the token (Authorization: Bearer works too).</summary>
    public const string Header = "X-Admin-Token";

    /// <summary>Shortest accepted token: 32 characters, as many as the 256-bit generated one has bytes.</summary>
    public const int MinLength = 32;

    private readonly byte[] _digest = SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>
    /// The token, or an exception with what to do when it is shorter than <see cref="MinLength"/>: an empty or short
    /// MAIL_ADMIN_TOKEN would let anyone who can guess it administer every tenant. <paramref name="file"/> names the
    /// file it was read from, or null when it was configured.
    /// </summary>
    public static string Checked(string token, string? file)
    {
        if (token.Length >= MinLength) return token;
        var source = file ?? "MAIL_ADMIN_TOKEN (Mail:Http:AdminToken)";
        throw new InvalidOperationException(
            $"The admin token from {source} is {token.Length} characters; at least {MinLength} are required. " +
            "Set a long random one (for example: openssl rand -base64 32), or leave MAIL_ADMIN_TOKEN unset to have one generated.");
    }

    /// <summary>A 256-bit key for <paramref name="purpose"/> derived from the token (HMAC-SHA256), so a new token retires it too.</summary>
    public byte[] DeriveKey(string purpose) => HMACSHA256.HashData(_digest, Encoding.UTF8.GetBytes(purpose));

    /// <summary>Whether the request carries the token.</summary>
    public bool IsPresentedBy(HttpRequest request)
    {
        var presented = request.Headers.TryGetValue(Header, out var header) ? header.ToString() : null;
        var authorization = request.Headers.Authorization.ToString();
        if (presented is null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) presented = authorization[7..].Trim();
        return presented is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _digest);
    }
}
