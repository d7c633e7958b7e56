using System.Collections.Concurrent;
using System.Text;
using Mail.Grains.Interfaces.Outbound;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;

namespace Mail.Grains.Outbound.Dkim;

/// <summary>
/// Makes the DKIM-Signature header fields (RFC 6376 §3.5; RFC 8463 for Ed25519) of a stored message,
/// to be prepended to it: relaxed/relaxed, SHA-256, one signature per active key of the domain; and, for a message
/// being relayed, an ARC set on top of them (<see cref="ArcSealer"/>, RFC 8617).
/// </summary>
public sealed class OutboundSigner(IGrainFactory grains, ArcSealer? arc = null)
{
    /// <summary>How long a domain's keys are reused before the grain is asked again (bulk mail must not call it per message).</summary>
    public static readonly TimeSpan KeyCacheLifetime = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The fields signed when present (RFC 6376 §5.4.1 lists what a signer should cover); the message's
    /// own Received, Return-Path and Bcc are never signed, as relays add, change or remove them.
    /// </summary>
    public static readonly IReadOnlyList<string> SignedHeaders =
    [
        "From", "To", "Cc", "Subject", "Date", "Message-ID", "Reply-To", "In-Reply-To", "References",
        "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "List-Unsubscribe", "List-Unsubscribe-Post",
    ];

    private readonly ConcurrentDictionary<string, CachedKeys> _keys = new(StringComparer.Ordinal);

    /// <summary>
    /// The DKIM-Signature field(s) for <paramref name="message"/> (the stored bytes) signed as
    /// <paramref name="domain"/>, folded, each ending in CRLF, under the ARC set when the message is relayed; null when
    /// the domain has no keys or the message has no From field (RFC 6376 §5.4 requires From to be signed).
    /// </summary>
    public async Task<string?> SignAsync(string domain, Stream message, CancellationToken ct) =>
        await SignAsync(domain, await MimeMessage.LoadAsync(message, ct), ct);

    /// <summary>
    /// The same for a message already in memory (a personalised bulk message, signed as it is made): the signature is
    /// over <paramref name="mime"/> as it serializes with CRLF line ends, which must be the bytes stored. The fields are
    /// also inserted at the top of <paramref name="mime"/>, so write it out before signing.
    /// </summary>
    public async Task<string?> SignAsync(string domain, MimeMessage mime, CancellationToken ct = default)
    {
        var keys = await KeysAsync(domain.TrimEnd('.').ToLowerInvariant());
        if (keys.Count == 0) return null;
        // MimeKit keeps the top-level Content-* fields with the body entity, not in the message's headers.
        var headers = SignedHeaders.Where(h => mime.Headers.Contains(h) || mime.Body?.Headers.Contains(h) == true).ToArray();
        if (!headers.Contains("From")) return null;
        // What the ARC set reports is checked before our own signatures are on the message.
        var arcKey = keys.FirstOrDefault(k => k.Algorithm == DkimSignatureAlgorithm.RsaSha256);
        var arcResults = arc is not null && arcKey is not null && ArcSealer.IsRelayed(mime) ? await arc.CheckAsync(mime, ct) : null;

        // CRLF: the canonical form is computed over the message as it travels (RFC 6376 §3.4).
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        foreach (var key in keys)
        {
            var name = domain.TrimEnd('.').ToLowerInvariant();
            DkimSigner signer = key.Rsa is { } rsa
                ? new PlatformRsaDkimSigner(rsa, key.PrivateKey, name, key.Selector)
                : new DkimSigner(key.PrivateKey, name, key.Selector, key.Algorithm);
            signer.HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed;
            signer.BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed;
            signer.Sign(format, mime, headers);
        }
        var added = keys.Count;
        if (arcResults is not null)
        {
            ArcSealer.Seal(mime, format, arcResults, domain.TrimEnd('.').ToLowerInvariant(), arcKey!.Selector, arcKey.PrivateKey, headers);
            added += 3;
        }
        // Each field was inserted at the top, so the first fields are ours, newest first.
        var fields = new StringBuilder();
        foreach (var header in mime.Headers.Take(added))
        {
            var value = Encoding.ASCII.GetString(header.RawValue).Replace("\r\n", "\n", StringComparison.Ordinal)
                .TrimEnd('\n').Replace("\n", "\r\n", StringComparison.Ordinal);
            fields.Append(header.Field).Append(':').Append(value).Append("\r\n");
        }
        return fields.ToString();
    }

    private async Task<IReadOnlyList<SigningKey>> KeysAsync(string domain)
    {
        var now = DateTimeOffset.UtcNow;
        if (_keys.TryGetValue(domain, out var cached) && cached.Expires > now) return await cached.Keys;
        var fresh = new CachedKeys(now + KeyCacheLifetime, LoadAsync(domain));
        _keys[domain] = fresh;
        try
        {
            return await fresh.Keys;
        }
        catch
        {
            // A failed load must not be served from the cache for a minute.
            _keys.TryRemove(new KeyValuePair<string, CachedKeys>(domain, fresh));
            throw;
        }
    }

    private async Task<IReadOnlyList<SigningKey>> LoadAsync(string domain)
    {
        var keys = await grains.GetGrain<ISendingDomainGrain>(domain).GetSigningKeysAsync();
        return keys.Select(k => k.Algorithm == "ed25519"
            ? new SigningKey(k.Selector, PrivateKeyFactory.CreateKey(k.PrivateKeyPkcs8), DkimSignatureAlgorithm.Ed25519Sha256, null)
            : new SigningKey(k.Selector, PrivateKeyFactory.CreateKey(k.PrivateKeyPkcs8), DkimSignatureAlgorithm.RsaSha256, new RsaKeyPool(k.PrivateKeyPkcs8))).ToArray();
    }

    /// <summary>A key to sign with; RSA keys also as platform key objects (<see cref="Rsa"/>), which make the signature.</summary>
    private sealed record SigningKey(string Selector, AsymmetricKeyParameter PrivateKey, DkimSignatureAlgorithm Algorithm, RsaKeyPool? Rsa);

    private sealed record CachedKeys(DateTimeOffset Expires, Task<IReadOnlyList<SigningKey>> Keys);
}
