using Mail.Security.Dkim;
using Mail.Security.Dns;
using Mail.Security.Spf;

namespace Mail.Security.Dmarc;

/// <summary>
/// DMARC (RFC 7489 §6.6): the policy record at _dmarc.&lt;From domain&gt;, else at the organizational domain (§6.6.3);
/// identifier alignment of SPF and DKIM in relaxed or strict mode (§3.1); p/sp and pct sampling (§6.6.4) through
/// <paramref name="percentile"/>, a source of 0..99 that tests make deterministic.
/// </summary>
public sealed class DmarcEvaluator(IAuthDns dns, PublicSuffixList suffixes, Func<int> percentile)
{
    /// <summary>Evaluates <paramref name="fromDomain"/> (null when the message has no single From address: a permerror).</summary>
    public async Task<DmarcVerdict> EvaluateAsync(string? fromDomain, SpfResult spf, string? spfDomain, IReadOnlyList<DkimSignatureResult> dkim, CancellationToken ct)
    {
        if (fromDomain is null) return new DmarcVerdict("permerror", null, null, DmarcPolicy.None);
        var organizational = suffixes.OrganizationalDomain(fromDomain);
        var (record, status) = await FindAsync(fromDomain, ct);
        var atOrganization = false;
        if (status == AuthDnsStatus.Ok && record is null && organizational != fromDomain)
        {
            (record, status) = await FindAsync(organizational, ct);
            atOrganization = true;
        }
        if (status == AuthDnsStatus.TempFail) return new DmarcVerdict("temperror", fromDomain, null, DmarcPolicy.None);
        if (record is null) return new DmarcVerdict("none", fromDomain, null, DmarcPolicy.None);

        var policy = atOrganization && record.SubdomainPolicy is { } sp ? sp : record.Policy;
        if (AlignedPass(fromDomain, spf, spfDomain, dkim, record.StrictDkim, record.StrictSpf)) return new DmarcVerdict("pass", fromDomain, policy, DmarcPolicy.None);
        // RFC 7489 §6.6.4: a message outside the pct sample gets the next less strict policy.
        var disposition = record.Percent >= 100 || percentile() < record.Percent ? policy : policy switch
        {
            DmarcPolicy.Reject => DmarcPolicy.Quarantine,
            _ => DmarcPolicy.None,
        };
        return new DmarcVerdict("fail", fromDomain, policy, disposition);
    }

    /// <summary>Whether an SPF pass or a DKIM pass is aligned with <paramref name="fromDomain"/> (RFC 7489 §3.1).</summary>
    public bool AlignedPass(string fromDomain, SpfResult spf, string? spfDomain, IReadOnlyList<DkimSignatureResult> dkim, bool strictDkim, bool strictSpf) =>
        spf == SpfResult.Pass && spfDomain is not null && Aligned(spfDomain, fromDomain, strictSpf)
        || dkim.Any(d => d.Passed && d.Domain is not null && Aligned(d.Domain, fromDomain, strictDkim));

    private bool Aligned(string authenticated, string from, bool strict)
    {
        authenticated = authenticated.TrimEnd('.').ToLowerInvariant();
        from = from.TrimEnd('.').ToLowerInvariant();
        return strict ? authenticated == from : suffixes.OrganizationalDomain(authenticated) == suffixes.OrganizationalDomain(from);
    }

    /// <summary>The one valid record at _dmarc.<paramref name="domain"/>; several valid records count as none (RFC 7489 §6.6.3).</summary>
    private async Task<(DmarcRecord? Record, AuthDnsStatus Status)> FindAsync(string domain, CancellationToken ct)
    {
        var answer = await dns.TxtAsync("_dmarc." + domain, ct);
        if (answer.Status == AuthDnsStatus.TempFail) return (null, AuthDnsStatus.TempFail);
        var records = answer.Records.Select(DmarcRecord.Parse).OfType<DmarcRecord>().ToList();
        return (records.Count == 1 ? records[0] : null, AuthDnsStatus.Ok);
    }
}
