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

    /// <summary>A new CA named <paramref name="name"/>, valid from a month ago (room for expired leaves) for a year.</summary>
    public TestCertificates(string name = "Mail Test CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Root = CaRequest(name, key).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddYears(1));
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
        using var issued = request.Create(Root, notBefore, notAfter, Serial());
        using var withKey = issued.CopyWithPrivateKey(key);
        return Reloaded(withKey);
    }

    /// <summary>
    /// A leaf for <paramref name="dnsNames"/> signed by a fresh intermediate CA that the root signed, as public CAs
    /// issue them; a server must send the intermediate along (SslStreamCertificateContext.Create's additional certificates).
    /// </summary>
    public (X509Certificate2 Leaf, X509Certificate2 Intermediate) IssueWithIntermediate(params string[] dnsNames)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = CaRequest("Mail Test Intermediate", caKey);
        caRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Root, true, false));
        using var intermediateCert = caRequest.Create(Root, DateTimeOffset.UtcNow.AddDays(-7), DateTimeOffset.UtcNow.AddDays(90), Serial());
        using var intermediate = intermediateCert.CopyWithPrivateKey(caKey);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = LeafRequest(key, dnsNames);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(intermediate, true, false));
        using var issued = request.Create(intermediate, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), Serial());
        using var withKey = issued.CopyWithPrivateKey(key);
        return (Reloaded(withKey), X509CertificateLoader.LoadCertificate(intermediate.RawData));
    }

    /// <summary>A self-signed server certificate for <paramref name="dnsNames"/>, chaining to no CA (as DANE-EE servers often have).</summary>
    public static X509Certificate2 SelfSigned(params string[] dnsNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var created = LeafRequest(key, dnsNames).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return Reloaded(created);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        File.Delete(RootPemPath);
        Root.Dispose();
    }

    private static CertificateRequest CaRequest(string name, ECDsa key)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    /// <summary>A positive 128-bit serial number (RFC 5280 §4.1.2.2).</summary>
    private static byte[] Serial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        return serial;
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
    /// Round-trips through PKCS#12 so the key outlives the ECDsa object it was made with and the certificate works as
    /// a server certificate on every platform (SChannel refuses ephemeral keys).
    /// </summary>
    private static X509Certificate2 Reloaded(X509Certificate2 withKey) =>
        X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
}
