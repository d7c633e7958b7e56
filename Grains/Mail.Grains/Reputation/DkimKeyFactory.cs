using System.Globalization;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;

namespace Mail.Grains.Reputation;

/// <summary>Makes DKIM key pairs: the PKCS#8 private key and the p= value of the key record.</summary>
public static class DkimKeyFactory
{
    /// <summary>k= of RSA keys (RFC 6376 §3.6.1).</summary>
    public const string Rsa = "rsa";

    /// <summary>k= of Ed25519 keys (RFC 8463 §4).</summary>
    public const string Ed25519 = "ed25519";

    /// <summary>
    /// RSA modulus size: RFC 8301 §3.2 requires at least 1024 bits and recommends 2048; 2048 still fits
    /// one TXT record (two strings) where 4096 would not fit some providers' consoles.
    /// </summary>
    public const int RsaBits = 2048;

    /// <summary>A new key of <paramref name="algorithm"/>.</summary>
    public static (byte[] PrivateKeyPkcs8, string PublicKey) Create(string algorithm) => algorithm switch
    {
        Rsa => CreateRsa(),
        Ed25519 => CreateEd25519(),
        _ => throw new ArgumentException($"Unknown DKIM key algorithm '{algorithm}'.", nameof(algorithm)),
    };

    /// <summary>
    /// A selector unique to this key: the algorithm's prefix, the date and random hex, so a rotation
    /// never reuses the name of a record that resolvers may still cache.
    /// </summary>
    public static string NewSelector(string algorithm, DateTimeOffset now) =>
        (algorithm == Ed25519 ? "ed" : "rsa") + now.ToString("yyyyMMdd", CultureInfo.InvariantCulture)
        + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));

    private static (byte[], string) CreateRsa()
    {
        using var rsa = RSA.Create(RsaBits);
        // p= carries the SubjectPublicKeyInfo, as opendkim-genkey and every common verifier use.
        return (rsa.ExportPkcs8PrivateKey(), Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()));
    }

    private static (byte[], string) CreateEd25519()
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        var pair = generator.GenerateKeyPair();
        var publicKey = (Ed25519PublicKeyParameters)pair.Public;
        // RFC 8463 §4: p= is the bare 32-byte public key, not a SubjectPublicKeyInfo.
        return (PrivateKeyInfoFactory.CreatePrivateKeyInfo(pair.Private).GetDerEncoded(), Convert.ToBase64String(publicKey.GetEncoded()));
    }
}
