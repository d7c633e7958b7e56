using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mail.Storage;

namespace Mail.Frontends.Hosting;

/// <summary>The TLS certificate every protocol frontend presents (STARTTLS and implicit TLS).</summary>
public sealed class ServerCertificate(X509Certificate2? certificate)
{
    /// <summary>The certificate, or null when TLS is not configured.</summary>
    public X509Certificate2? Certificate { get; } = certificate;

    /// <summary>
    /// Loads a PKCS#12 file (empty password; it holds the private key, so it must be readable by its owner only and
    /// exist once configured: see <see cref="SecretFile.ReadChecked"/>), or, when none is configured, makes a
    /// self-signed certificate for localhost in memory so TLS works on a developer machine.
    /// </summary>
    public static ServerCertificate Load(string? pfxPath)
    {
        if (!string.IsNullOrEmpty(pfxPath))
        {
            var pfx = SecretFile.ReadChecked(pfxPath, 1, "the TLS certificate and key file (MAIL_TLS_CERT)");
            return new ServerCertificate(X509CertificateLoader.LoadPkcs12(pfx, password: null));
        }
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(2));
        return new ServerCertificate(X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null));
    }
}
