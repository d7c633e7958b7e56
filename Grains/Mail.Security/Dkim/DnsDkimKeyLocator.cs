using Mail.Security.Dns;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace Mail.Security.Dkim;

/// <summary>Finds DKIM public keys (RFC 6376 §3.6.2.1: TXT at selector._domainkey.domain) through <see cref="IAuthDns"/>; RSA and Ed25519 (RFC 8463).</summary>
public sealed class DnsDkimKeyLocator(IAuthDns dns) : DkimPublicKeyLocatorBase
{
    /// <inheritdoc />
    public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        LocatePublicKeyAsync(methods, domain, selector, cancellationToken).GetAwaiter().GetResult();

    /// <inheritdoc />
    public override async Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default)
    {
        var name = $"{selector}._domainkey.{domain.TrimEnd('.')}";
        var answer = await dns.TxtAsync(name, cancellationToken);
        if (answer.Status == AuthDnsStatus.TempFail) throw new DkimKeyUnavailableException($"key lookup {name} failed", temporary: true);
        // RFC 6376 §3.6.2.2: several records are ambiguous; the first that parses is used, as verifiers commonly do.
        foreach (var record in answer.Records)
        {
            // An empty p= is a revoked key (RFC 6376 §3.6.1).
            if (record.Replace(" ", "", StringComparison.Ordinal).Contains("p=;", StringComparison.Ordinal) || record.TrimEnd().EndsWith("p=", StringComparison.Ordinal))
            {
                throw new DkimKeyUnavailableException($"key {name} is revoked", temporary: false);
            }
            try
            {
                return GetPublicKey(record);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A record whose key does not parse is no key (RFC 6376 §6.1.2 step 5 onwards); try the next one.
            }
        }
        throw new DkimKeyUnavailableException($"no key record at {name}", temporary: false);
    }
}
