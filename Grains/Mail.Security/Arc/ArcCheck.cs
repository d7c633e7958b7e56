using MimeKit;
using MimeKit.Cryptography;

namespace Mail.Security.Arc;

/// <summary>Validates the ARC chain of a message (RFC 8617 §5.2) with MimeKit's <see cref="ArcVerifier"/>: "none", "pass" or "fail" (the cv= of the next seal).</summary>
public static class ArcCheck
{
    /// <summary>The chain validation status.</summary>
    public static async Task<string> VerifyAsync(MimeMessage message, IDkimPublicKeyLocator keys, CancellationToken ct)
    {
        if (!message.Headers.Contains(HeaderId.ArcSeal)) return "none";
        try
        {
            var result = await new ArcVerifier(keys).VerifyAsync(message, ct);
            return result.Chain switch
            {
                ArcSignatureValidationResult.Pass => "pass",
                ArcSignatureValidationResult.None => "none",
                _ => "fail",
            };
        }
        catch (Exception e) when (e is not (OperationCanceledException or IOException))
        {
            // RFC 8617 §5.2: a chain that cannot be validated is a failed chain.
            return "fail";
        }
    }
}
