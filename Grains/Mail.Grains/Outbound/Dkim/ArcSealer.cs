using Mail.Security.Arc;
using Mail.Security.Dkim;
using Mail.Security.Dns;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace Mail.Grains.Outbound.Dkim;

/// <summary>
/// ARC sealing of relayed mail (RFC 8617 §5.1). The system has no forwarding rules or Sieve redirect; the one way a
/// received message leaves again is a user re-sending it (a client's "redirect" or "bounce", RFC 5322 §3.6.6) through
/// submission or the API, to the outbound queue. Such a message already carries an Authentication-Results field or an
/// ARC set, which is how it is told from mail written here; it gets one more ARC set, signed with the relaying domain's
/// RSA DKIM key. The ARC-Authentication-Results field records only what this hop checks itself when the message is
/// queued: every DKIM signature it carries and the ARC chain before ours (whose result is the seal's cv=). Results
/// fields already in the message are never copied: on submission they are the sender's to write.
/// </summary>
public sealed class ArcSealer(IAuthDns dns, string authServId)
{
    /// <summary>Most ARC sets a message may carry (RFC 8617 §4.2.1); past it nothing is added.</summary>
    public const int MaxInstances = 50;

    private readonly DnsDkimKeyLocator _keys = new(dns);

    /// <summary>The authserv-id of the ARC-Authentication-Results fields written (the relaying host's name).</summary>
    public string AuthServId { get; } = authServId;

    /// <summary>Whether <paramref name="message"/> has been through an authenticating receiver, so sending it on is relaying.</summary>
    public static bool IsRelayed(MimeMessage message) =>
        message.Headers.Contains(HeaderId.AuthenticationResults) || message.Headers.Contains(HeaderId.ArcSeal);

    /// <summary>
    /// What this hop finds, as the ARC-Authentication-Results to seal with (call before signing the message): the DKIM
    /// result of each signature and "arc" = the chain so far (none, pass or fail); null when the chain is already full.
    /// </summary>
    public async Task<AuthenticationResults?> CheckAsync(MimeMessage message, CancellationToken ct)
    {
        if (message.Headers.Count(h => h.Id == HeaderId.ArcSeal) >= MaxInstances) return null;
        var results = new AuthenticationResults(AuthServId);
        foreach (var dkim in await DkimCheck.VerifyAsync(message, _keys, ct))
        {
            var result = new AuthenticationMethodResult("dkim", dkim.Result);
            if (dkim.Domain is { } domain) result.Properties.Add(new AuthenticationMethodProperty("header", "d", domain));
            if (dkim.Selector is { } selector) result.Properties.Add(new AuthenticationMethodProperty("header", "s", selector));
            results.Results.Add(result);
        }
        if (results.Results.Count == 0) results.Results.Add(new AuthenticationMethodResult("dkim", "none"));
        results.Results.Add(new AuthenticationMethodResult("arc", await ArcCheck.VerifyAsync(message, _keys, ct)));
        return results;
    }

    /// <summary>
    /// Adds the ARC set (ARC-Seal, ARC-Message-Signature over <paramref name="headers"/>, ARC-Authentication-Results) on
    /// top of <paramref name="message"/>, RSA-SHA256 (RFC 8617 §4.1.3 follows DKIM; Ed25519 is not defined for ARC).
    /// </summary>
    public static void Seal(MimeMessage message, FormatOptions format, AuthenticationResults results, string domain, string selector,
        AsymmetricKeyParameter key, IList<string> headers)
    {
        var signer = new FixedResultsArcSigner(key, domain, selector, results)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };
        signer.Sign(format, message, headers);
    }

    /// <summary>An ARC signer whose ARC-Authentication-Results were found beforehand, by <see cref="CheckAsync"/>.</summary>
    private sealed class FixedResultsArcSigner(AsymmetricKeyParameter key, string domain, string selector, AuthenticationResults results)
        : ArcSigner(key, domain, selector, DkimSignatureAlgorithm.RsaSha256)
    {
        protected override AuthenticationResults GenerateArcAuthenticationResults(FormatOptions options, MimeMessage message, CancellationToken cancellationToken) =>
            results;

        protected override Task<AuthenticationResults> GenerateArcAuthenticationResultsAsync(FormatOptions options, MimeMessage message, CancellationToken cancellationToken) =>
            Task.FromResult(results);
    }
}
