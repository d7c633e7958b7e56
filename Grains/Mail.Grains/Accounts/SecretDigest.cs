using System.Security.Cryptography;
using System.Text;

namespace Mail.Grains.Accounts;

/// <summary>Generation and SHA-256 digests of high-entropy secrets (app passwords, API keys), which need no slow hash.</summary>
public static class SecretDigest
{
    /// <summary>A new random secret of 24 bytes, URL-safe base64.</summary>
    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The hex SHA-256 of a secret.</summary>
    public static string Of(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Compares a secret with a stored digest in constant time.</summary>
    public static bool Matches(string secret, string digest) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Of(secret)), Encoding.ASCII.GetBytes(digest));
}
