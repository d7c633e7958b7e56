using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Mail.Grains.Outbound.Dns;

/// <summary>Decides whether an MX host's certificate satisfies its <see cref="TlsRequirement"/>; called from the SMTP client's certificate callback.</summary>
public static class TlsCertificateCheck
{
    /// <summary>The check with the system roots only.</summary>
    public static bool IsAcceptable(TlsRequirement requirement, string mxHostName, X509Certificate2? certificate,
        X509Chain? chain, SslPolicyErrors errors, out string reason) =>
        IsAcceptable(requirement, mxHostName, certificate, chain, errors, [], out reason);

    /// <summary>
    /// Opportunistic: anything (RFC 7435: encryption without authentication beats plaintext).
    /// RequirePkix: a chain to the system or <paramref name="extraRoots"/> and the MX name (RFC 8461 §4.2).
    /// Dane: a usable TLSA record matches (RFC 7672 §3.1). The chain is rebuilt here rather than trusting
    /// <paramref name="errors"/>, because SslStream checked it against the TLS target name and the system roots only.
    /// </summary>
    public static bool IsAcceptable(TlsRequirement requirement, string mxHostName, X509Certificate2? certificate,
        X509Chain? chain, SslPolicyErrors errors, X509Certificate2Collection extraRoots, out string reason)
    {
        if (requirement.Mode == TlsMode.Opportunistic)
        {
            reason = "opportunistic TLS: certificate not checked";
            return true;
        }
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            reason = "no certificate presented";
            return false;
        }
        var presented = Presented(certificate, chain);
        return requirement.Mode == TlsMode.Dane
            ? DaneMatch.Matches(requirement.Tlsa, mxHostName, certificate, presented, out reason)
            : PkixValidation.Validate(certificate, presented, mxHostName, extraRoots, out reason);
    }

    /// <summary>The certificates the server sent: SslStream puts them in the chain's extra store and its built elements.</summary>
    private static List<X509Certificate2> Presented(X509Certificate2 leaf, X509Chain? chain)
    {
        var certificates = new List<X509Certificate2> { leaf };
        if (chain is not null)
        {
            certificates.AddRange(chain.ChainPolicy.ExtraStore);
            certificates.AddRange(chain.ChainElements.Select(e => e.Certificate));
        }
        return certificates.DistinctBy(c => c.Thumbprint).ToList();
    }
}
