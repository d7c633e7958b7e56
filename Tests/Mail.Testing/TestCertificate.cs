using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mail.Testing;

/// <summary>Self-signed server certificates for TLS tests, made with <see cref="CertificateRequest"/>.</summary>
public static class TestCertificate
{
    /// <summary>A self-signed ECDSA P-256 certificate for <paramref name="dnsName"/>, valid from yesterday for a year.</summary>
    public static X509Certificate2 Create(string dnsName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
