using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mail.Grains.Outbound.Dns;

/// <summary>Matches a presented certificate chain against TLSA records the way RFC 7672 §3.1 asks of SMTP clients.</summary>
internal static class DaneMatch
{
    public static bool Matches(IReadOnlyList<TlsaRecord> records, string mxHostName, X509Certificate2 leaf,
        IReadOnlyList<X509Certificate2> presented, out string reason)
    {
        var usable = records.Where(r => r.IsUsableForSmtp).ToList();
        if (usable.Count == 0)
        {
            reason = "DANE: no usable TLSA record";
            return false;
        }
        // RFC 7672 §3.1.1: DANE-EE binds the server's key; names and validity dates are deliberately ignored.
        if (usable.FirstOrDefault(r => r.Usage == 3 && Matches(r, leaf)) is { } ee)
        {
            reason = $"DANE-EE {ee.Usage} {ee.Selector} {ee.MatchingType} matches the server certificate";
            return true;
        }
        foreach (var ta in usable.Where(r => r.Usage == 2))
        {
            foreach (var anchor in presented.Where(c => Matches(ta, c)))
            {
                if (ChainsTo(leaf, anchor, presented) && PkixValidation.MatchesName(leaf, mxHostName))
                {
                    reason = $"DANE-TA {ta.Usage} {ta.Selector} {ta.MatchingType} matches {anchor.Subject}, name {mxHostName}";
                    return true;
                }
            }
        }
        reason = $"DANE: no TLSA record of {mxHostName} matches the presented certificates, or the name does not match";
        return false;
    }

    private static bool Matches(TlsaRecord record, X509Certificate2 certificate)
    {
        // RFC 6698 §2.1.2: selector 0 is the whole DER certificate, 1 its SubjectPublicKeyInfo.
        var selected = record.Selector == 0 ? certificate.RawData : certificate.PublicKey.ExportSubjectPublicKeyInfo();
        // RFC 6698 §2.1.3: matching type 0 is the data itself, 1 SHA-256, 2 SHA-512.
        var digest = record.MatchingType switch
        {
            0 => selected,
            1 => SHA256.HashData(selected),
            _ => SHA512.HashData(selected),
        };
        return CryptographicOperations.FixedTimeEquals(digest, record.Data);
    }

    /// <summary>
    /// RFC 7672 §3.1.2: with DANE-TA the matched certificate is the trust anchor of an otherwise ordinary path
    /// validation, with no system roots involved. The anchor is usually an intermediate, which X509Chain will not
    /// treat as a root (the build ends in PartialChain or UntrustedRoot), so the path is accepted when it runs
    /// through the anchor and every element up to it is valid; whatever lies above the anchor does not matter.
    /// </summary>
    private static bool ChainsTo(X509Certificate2 leaf, X509Certificate2 anchor, IReadOnlyList<X509Certificate2> presented)
    {
        if (leaf.Thumbprint == anchor.Thumbprint)
        {
            return true;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(anchor);
        chain.ChainPolicy.ExtraStore.AddRange(presented.ToArray());
        chain.Build(leaf);
        var elements = chain.ChainElements.Select(e => (e.Certificate.Thumbprint, e.ChainElementStatus)).ToList();
        var anchorAt = elements.FindIndex(e => e.Thumbprint == anchor.Thumbprint);
        return anchorAt > 0 && elements.Take(anchorAt + 1).All(e => e.ChainElementStatus.All(s =>
            s.Status is X509ChainStatusFlags.NoError or X509ChainStatusFlags.UntrustedRoot or X509ChainStatusFlags.PartialChain));
    }
}
