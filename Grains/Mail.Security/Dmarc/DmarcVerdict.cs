namespace Mail.Security.Dmarc;

/// <summary>
/// The DMARC evaluation (RFC 7489 §6.6): the result (pass, fail, none, temperror, permerror), the From domain, the
/// policy that applies (sp for a subdomain), and <see cref="Disposition"/>, the policy after pct sampling (§6.6.4) that
/// the receiver acts on for a failing message.
/// </summary>
public sealed record DmarcVerdict(string Result, string? FromDomain, DmarcPolicy? Policy, DmarcPolicy Disposition)
{
    /// <summary>Whether the message failed against a published policy.</summary>
    public bool Failed => Result == "fail";
}
