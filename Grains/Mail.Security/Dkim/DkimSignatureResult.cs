namespace Mail.Security.Dkim;

/// <summary>The outcome of one DKIM-Signature field (RFC 6376 §6.1; result names of RFC 8601 §2.7.1): pass, fail, neutral, temperror, permerror; its d=, s= and the first bytes of b=.</summary>
public sealed record DkimSignatureResult(string Result, string? Domain, string? Selector, string? SignaturePrefix, string? Reason = null)
{
    /// <summary>Whether it verified.</summary>
    public bool Passed => Result == "pass";
}
