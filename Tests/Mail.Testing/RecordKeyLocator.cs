using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace Mail.Testing;

/// <summary>MimeKit's key lookup answered from a name → TXT map (the records the grain lists).</summary>
public sealed class RecordKeyLocator(IReadOnlyDictionary<string, string> records) : DkimPublicKeyLocatorBase
{
    /// <inheritdoc />
    public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        GetPublicKey(records[$"{selector}._domainkey.{domain}"]);

    /// <inheritdoc />
    public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));
}
