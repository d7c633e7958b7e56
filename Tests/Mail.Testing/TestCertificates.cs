using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mail.Testing;

/// <summary>
/// A throwaway certificate authority for TLS tests: issues server certificates for host names and writes its root
/// as PEM to a temporary file, the file <c>OutboundOptions.ExtraTrustedRootsPath</c> names. ECDSA P-256 keeps it fast.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");

    /// <summary>A new CA named <paramref name="name"/>, valid from yesterday for a year.</summary>
    public TestCertificates(string name = "Mail Test CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Root = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        RootPemPath = Path.Combine(Path.GetTempPath(), $"mail-test-ca-{Guid.NewGuid():N}.pem");
        File.WriteAllText(RootPemPath, Root.ExportCertificatePem());
    }

    /// <summary>The CA certificate, with its private key.</summary>
    public X509Certificate2 Root { get; }

    /// <summary>A PEM file holding <see cref="Root"/> only; deleted on dispose.</summary>
    public string RootPemPath { get; }

    /// <summary>A server certificate (serverAuth) for <paramref name="dnsNames"/> (wildcards allowed), signed by the CA, with its private key.</summary>
    public X509Certificate2 Issue(params string[] dnsNames) => Issue(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), dnsNames);

    /// <summary>As <see cref="Issue(string[])"/>, valid only between <paramref name="notBefore"/> and <paramref name="notAfter"/> (expired certificates).</summary>
    public X509Certificate2 Issue(DateTimeOffset notBefore, DateTimeOffset notAfter, params string[] dnsNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = LeafRequest(key, dnsNames);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Root, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(Root, notBefore, notAfter, serial);
        return WithKey(issued, key);
    }

    /// <summary>A self-signed server certificate for <paramref name="dnsNames"/>, chaining to no CA (as DANE-EE servers often have).</summary>
    public static X509Certificate2 SelfSigned(params string[] dnsNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var created = LeafRequest(key, dnsNames).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return WithKey(created, key);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        File.Delete(RootPemPath);
        Root.Dispose();
    }

    private static CertificateRequest LeafRequest(ECDsa key, string[] dnsNames)
    {
        var request = new CertificateRequest($"CN={dnsNames.FirstOrDefault() ?? "localhost"}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            san.AddDnsName(name);
        }
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuth], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    /// <summary>
    /// Attaches the key and round-trips through PKCS#12: SslStream on Linux serves a certificate whose key came from
    /// CopyWithPrivateKey, but the PFX form also works where an ephemeral key would not (Windows SChannel).
    /// </summary>
    private static X509Certificate2 WithKey(X509Certificate2 certificate, ECDsa key)
    {
        using var withKey = certificate.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
