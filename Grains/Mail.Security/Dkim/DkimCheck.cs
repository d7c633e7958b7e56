using MimeKit;
using MimeKit.Cryptography;

namespace Mail.Security.Dkim;

/// <summary>
/// Verifies every DKIM-Signature of a message with MimeKit's <see cref="DkimVerifier"/> (RFC 6376 §6; RSA-SHA1 refused as
/// RFC 8301 requires, RSA keys under 1024 bits refused). At most <see cref="MaxSignatures"/> are checked, so a message
/// cannot make the MX do unbounded key lookups and hashing.
/// </summary>
public static class DkimCheck
{
    /// <summary>Signatures verified per message; the rest are reported as policy-neutral.</summary>
    public const int MaxSignatures = 8;

    /// <summary>One result per DKIM-Signature field, top first.</summary>
    public static async Task<IReadOnlyList<DkimSignatureResult>> VerifyAsync(MimeMessage message, IDkimPublicKeyLocator keys, CancellationToken ct)
    {
        var verifier = new DkimVerifier(keys);
        var results = new List<DkimSignatureResult>();
        foreach (var header in message.Headers.Where(h => h.Id == HeaderId.DkimSignature))
        {
            var tags = Tags(header.Value);
            var (domain, selector) = (tags.GetValueOrDefault("d"), tags.GetValueOrDefault("s"));
            var b = tags.GetValueOrDefault("b") is { Length: > 0 } sig ? sig[..Math.Min(8, sig.Length)] : null;
            if (results.Count >= MaxSignatures)
            {
                results.Add(new DkimSignatureResult("neutral", domain, selector, b, "too many signatures"));
                continue;
            }
            string result;
            string? reason = null;
            try
            {
                result = await verifier.VerifyAsync(message, header, ct) ? "pass" : "fail";
                if (result == "fail") reason = "signature or body hash mismatch";
            }
            catch (DkimKeyUnavailableException e)
            {
                (result, reason) = (e.Temporary ? "temperror" : "permerror", e.Message);
            }
            catch (Exception e) when (e is not (OperationCanceledException or IOException))
            {
                // A malformed field, an unknown or disabled algorithm, a key that does not parse (RFC 6376 §6.1.1).
                (result, reason) = ("permerror", e.Message);
            }
            results.Add(new DkimSignatureResult(result, domain, selector, b, reason));
        }
        return results;
    }

    /// <summary>The tag=value list of a DKIM-Signature (RFC 6376 §3.2), whitespace removed.</summary>
    public static Dictionary<string, string> Tags(string value)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in value.Split(';'))
        {
            var equals = part.IndexOf('=');
            if (equals <= 0) continue;
            var name = part[..equals].Trim();
            var text = string.Concat(part[(equals + 1)..].Where(c => !char.IsWhiteSpace(c)));
            tags.TryAdd(name, text);
        }
        return tags;
    }
}
