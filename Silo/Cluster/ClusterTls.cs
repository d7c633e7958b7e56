using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mail.Frontends.Hosting;
using Mail.Silo.Configuration;
using Orleans.Connections.Security;

namespace Mail.Silo.Cluster;

/// <summary>
/// Mutual TLS for the cluster's connections (Microsoft.Orleans.Connections.Security): the certificate this process
/// presents and the rule that admits a peer's (<see cref="ClusterTlsSettings"/>). Both sides of every connection present
/// a certificate and check the other's; a peer without one, or with one the rule does not admit, never gets a message
/// through. Peers are silos and gateways addressed by IP, so the rule is about who holds the key, not about host names.
/// </summary>
public sealed class ClusterTls
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    /// <summary>The mail protocols' certificate setting, the cluster's certificate when Mail:Cluster:Tls:CertificatePath is not set.</summary>
    public const string ProtocolCertificateKey = "Mail:Tls:CertificatePath";

    private readonly HashSet<string> _allowedHashes;
    private readonly X509Certificate2Collection _roots;

    private ClusterTls(X509Certificate2 certificate, HashSet<string> allowedHashes, X509Certificate2Collection roots)
    {
        Certificate = certificate;
        _allowedHashes = allowedHashes;
        _roots = roots;
    }

    /// <summary>The certificate this process presents, as server and as client.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>
    /// The settings of <paramref name="options"/>, certificate and CA loaded and checked now; null when cluster TLS is off.
    /// <paramref name="protocolCertificatePath"/> (Mail:Tls:CertificatePath) is the certificate when the cluster names none.
    /// </summary>
    public static ClusterTls? From(ClusterTlsSettings options, string? protocolCertificatePath)
    {
        if (!options.Enabled) return null;
        var path = string.IsNullOrEmpty(options.CertificatePath) ? protocolCertificatePath : options.CertificatePath;
        if (string.IsNullOrEmpty(path))
        {
            throw new InvalidOperationException(
                "Mail:Cluster:Tls:Enabled is on but no certificate is configured: set Mail:Cluster:Tls:CertificatePath, or " +
                "Mail:Tls:CertificatePath (MAIL_TLS_CERT), to a PKCS#12 file every silo and frontend of the cluster can present " +
                "(infra/devcert.sh makes one for development).");
        }
        var certificate = ServerCertificate.FromFile(path, "Mail:Cluster:Tls:CertificatePath");
        if (!AllowsUsage(certificate, ServerAuth) || !AllowsUsage(certificate, ClientAuth))
        {
            throw new InvalidOperationException(
                $"The cluster certificate {path} must allow both serverAuth and clientAuth in its extended key usage: every " +
                "silo accepts connections and makes them. infra/devcert.sh's certificate allows both.");
        }
        var roots = new X509Certificate2Collection();
        if (!string.IsNullOrEmpty(options.CaCertificatePath))
        {
            if (!File.Exists(options.CaCertificatePath))
            {
                throw new InvalidOperationException($"Mail:Cluster:Tls:CaCertificatePath names {options.CaCertificatePath}, which does not exist.");
            }
            roots.ImportFromPemFile(options.CaCertificatePath);
            if (roots.Count == 0) throw new InvalidOperationException($"Mail:Cluster:Tls:CaCertificatePath: {options.CaCertificatePath} holds no PEM certificate.");
        }
        return new ClusterTls(certificate, options.AllowedThumbprints.Select(NormalizedHash).ToHashSet(StringComparer.Ordinal), roots);
    }

    /// <summary>
    /// Refuses a silo that would listen on an address other than loopback without cluster TLS: anyone who reached the
    /// silo or gateway port could join the cluster or call any grain, as any tenant.
    /// </summary>
    public static void EnsureSafeBinding(ClusterSettings cluster)
    {
        if (string.Equals(cluster.Clustering, "localhost", StringComparison.OrdinalIgnoreCase) || cluster.Tls.Enabled) return;
        if (!IPAddress.TryParse(cluster.AdvertisedAddress, out var address))
        {
            throw new InvalidOperationException($"Mail:Cluster:AdvertisedAddress is '{cluster.AdvertisedAddress}', which is not an IP address.");
        }
        if (IPAddress.IsLoopback(address)) return;
        throw new InvalidOperationException(
            $"The cluster would listen on {address} (Mail:Cluster:AdvertisedAddress, ports {cluster.SiloPort} and {cluster.GatewayPort}) " +
            "without TLS, and Orleans authenticates no one by itself: anyone who can reach those ports could call every grain. " +
            "Turn on mutual TLS with Mail:Cluster:Tls:Enabled=true (MAIL_CLUSTER_TLS=1) and a certificate (Mail:Cluster:Tls:CertificatePath " +
            "or MAIL_TLS_CERT), or keep the cluster on 127.0.0.1.");
    }

    /// <summary>Sets <paramref name="options"/> for mutual TLS: present <see cref="Certificate"/>, require the peer's, admit it by the rule.</summary>
    public void Apply(TlsOptions options)
    {
        options.LocalCertificate = Certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        // Fail at start if the certificate cannot authenticate a client, instead of silently sending none.
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.RemoteCertificateValidation = (peer, chain, _) => Admits(peer, chain);
    }

    /// <summary>
    /// Whether a peer's certificate is admitted: within its validity, and listed by hash, or issued by the configured CA,
    /// or (neither configured) the same certificate as ours. Name mismatches do not matter (peers are dialled by IP).
    /// </summary>
    public bool Admits(X509Certificate2 peer, X509Chain? presented = null)
    {
        var now = DateTime.Now;
        if (now < peer.NotBefore || now > peer.NotAfter) return false;
        if (_allowedHashes.Count == 0 && _roots.Count == 0)
        {
            return CryptographicOperations.FixedTimeEquals(peer.GetCertHash(HashAlgorithmName.SHA256), Certificate.GetCertHash(HashAlgorithmName.SHA256));
        }
        if (_allowedHashes.Contains(Convert.ToHexString(peer.GetCertHash(HashAlgorithmName.SHA256)))
            || _allowedHashes.Contains(Convert.ToHexString(peer.GetCertHash(HashAlgorithmName.SHA1))))
        {
            return true;
        }
        return _roots.Count > 0 && IssuedByRoots(peer, presented);
    }

    private bool IssuedByRoots(X509Certificate2 peer, X509Chain? presented)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // Intermediates the peer sent along.
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        return chain.Build(peer);
    }

    private static bool AllowsUsage(X509Certificate2 certificate, Oid usage)
    {
        var extension = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        return extension is null || extension.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == usage.Value);
    }

    private static string NormalizedHash(string thumbprint)
    {
        var hex = new string(thumbprint.Where(c => c is not (':' or ' ')).ToArray()).ToUpperInvariant();
        if (hex.Length is not (40 or 64) || !hex.All(Uri.IsHexDigit))
        {
            throw new InvalidOperationException(
                $"Mail:Cluster:Tls:AllowedThumbprints: '{thumbprint}' is not a SHA-256 (64 hex digits) or SHA-1 (40) certificate hash.");
        }
        return hex;
    }
}
