using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace Mail.Grains.Outbound.Dkim;

/// <summary>MimeKit's DKIM signer (canonicalization, the DKIM-Signature field) with the RSA signature made by <see cref="PlatformRsaSigner"/>.</summary>
public sealed class PlatformRsaDkimSigner(RsaKeyPool keys, AsymmetricKeyParameter privateKey, string domain, string selector)
    : DkimSigner(privateKey, domain, selector, DkimSignatureAlgorithm.RsaSha256)
{
    /// <inheritdoc />
    protected override ISigner CreateSigningContext() => new PlatformRsaSigner(keys);
}
