using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mail.Storage;

namespace Mail.Frontends.Hosting;

/// <summary>The TLS certificate every protocol frontend presents (STARTTLS, implicit TLS and HTTPS).</summary>
public sealed class ServerCertificate(X509Certificate2? certificate)
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    /// <summary>The certificate, or null when TLS is not configured.</summary>
    public X509Certificate2? Certificate { get; } = certificate;

    /// <summary>
    /// Loads the configured PKCS#12 file (empty password; it holds the private key, so it must be readable by its owner
    /// only: see <see cref="SecretFile.ReadChecked"/>), or, when none is configured, makes a self-signed certificate for
    /// localhost in memory so TLS works on a developer machine. A configured file that cannot be read stops the host:
    /// serving a throwaway certificate in its place would hide the mistake.
    /// </summary>
    public static ServerCertificate Load(string? pfxPath) =>
        new(string.IsNullOrEmpty(pfxPath) ? SelfSigned() : FromFile(pfxPath, "Mail:Tls:CertificatePath (MAIL_TLS_CERT)"));

    /// <summary>
    /// A PKCS#12 file (empty password) with its private key; <paramref name="setting"/> names the setting in the error
    /// when the file is missing, unreadable or keyless.
    /// </summary>
    public static X509Certificate2 FromFile(string pfxPath, string setting)
    {
        if (!File.Exists(pfxPath)) throw new InvalidOperationException($"{setting} names {pfxPath}, which does not exist.");
        var pfx = SecretFile.ReadChecked(pfxPath, 1, $"the TLS certificate and key file ({setting})");
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12(pfx, password: null);
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"{setting}: {pfxPath} is not a PKCS#12 file with an empty password ({e.Message}).", e);
        }
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new InvalidOperationException($"{setting}: {pfxPath} holds no private key.");
        }
        return certificate;
    }

    /// <summary>
    /// A self-signed certificate for localhost and 127.0.0.1, good for serving and, as infra/devcert.sh's, for
    /// authenticating as a client (cluster mutual TLS).
    /// </summary>
    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuth, ClientAuth], false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(2));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null);
    }
}
