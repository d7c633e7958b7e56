namespace Mail.Grains.Outbound.Dkim;

/// <summary>Which domain signs an outgoing message (the d= of RFC 6376 §3.5).</summary>
public static class SigningDomain
{
    /// <summary>
    /// The From field's domain when it is one of the sending tenant's own domains, so DMARC (RFC 7489
    /// §3.1.1) finds an aligned signature; otherwise the envelope sender's domain, which the sender was
    /// authenticated for: a signature for a From domain the tenant does not hold (another tenant's, or
    /// nobody's here) would vouch for mail its owner never sent. The null reverse-path (our own DSNs)
    /// leaves the From domain. Null when neither gives a domain.
    /// </summary>
    public static string? For(string? fromHeaderAddress, string? envelopeFrom, IReadOnlyCollection<string> tenantDomains)
    {
        var from = DomainOf(fromHeaderAddress);
        var envelope = DomainOf(envelopeFrom);
        if (from is not null && (envelope is null || tenantDomains.Contains(from, StringComparer.OrdinalIgnoreCase))) return from;
        return envelope;
    }

    private static string? DomainOf(string? address)
    {
        if (string.IsNullOrWhiteSpace(address)) return null;
        var at = address.LastIndexOf('@');
        var domain = address[(at + 1)..].Trim().TrimEnd('>', '.').ToLowerInvariant();
        return at < 0 || domain.Length == 0 ? null : domain;
    }
}
