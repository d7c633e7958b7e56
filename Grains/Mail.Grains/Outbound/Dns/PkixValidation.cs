using System.Security.Cryptography.X509Certificates;

namespace Mail.Grains.Outbound.Dns;

/// <summary>PKIX path validation (RFC 5280) to the system roots or the extra roots, and the RFC 6125 name check.</summary>
internal static class PkixValidation
{
    /// <summary>True when <paramref name="leaf"/> chains to a trusted root and names <paramref name="hostName"/>.</summary>
    public static bool Validate(X509Certificate2 leaf, IEnumerable<X509Certificate2> presented, string hostName,
        X509Certificate2Collection extraRoots, out string reason)
    {
        if (!ChainsToTrustedRoot(leaf, presented, extraRoots, out reason))
        {
            return false;
        }
        if (!MatchesName(leaf, hostName))
        {
            reason = $"certificate {leaf.Subject} does not name {hostName}";
            return false;
        }
        reason = "PKIX-valid for " + hostName;
        return true;
    }

    /// <summary>
    /// RFC 6125 §6.4: DNS-ID (subjectAltName) only, a wildcard only as the whole left-most label; the CN is not
    /// consulted because every CA has put the names in the SAN for years (CA/B Forum baseline requirements).
    /// </summary>
    public static bool MatchesName(X509Certificate2 leaf, string hostName) =>
        leaf.MatchesHostname(hostName.TrimEnd('.'), allowWildcards: true, allowCommonName: false);

    /// <summary>
    /// Builds the chain against the system roots, then, when that fails and extra roots are configured, against
    /// those alone: .NET trusts either the system store or a custom store in one build, not both.
    /// Revocation is not checked: MTA-STS and SMTP senders do not (RFC 8461 §4.2 asks only for PKIX validity), and a
    /// CRL/OCSP fetch per connection would make delivery depend on a third party's responder.
    /// </summary>
    private static bool ChainsToTrustedRoot(X509Certificate2 leaf, IEnumerable<X509Certificate2> presented,
        X509Certificate2Collection extraRoots, out string reason)
    {
        var status = Build(leaf, presented, null);
        if (status is null)
        {
            reason = "";
            return true;
        }
        if (extraRoots.Count > 0 && Build(leaf, presented, extraRoots) is null)
        {
            reason = "";
            return true;
        }
        reason = $"certificate {leaf.Subject} is not PKIX-valid: {status}";
        return false;
    }

    /// <summary>Null when the chain is valid, else its status text.</summary>
    private static string? Build(X509Certificate2 leaf, IEnumerable<X509Certificate2> presented, X509Certificate2Collection? roots)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1")); // serverAuth
        foreach (var cert in presented)
        {
            chain.ChainPolicy.ExtraStore.Add(cert);
        }
        if (roots is not null)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        }
        if (chain.Build(leaf))
        {
            return null;
        }
        var problems = chain.ChainStatus.Select(s => s.Status.ToString()).Distinct();
        return string.Join(", ", problems);
    }
}
