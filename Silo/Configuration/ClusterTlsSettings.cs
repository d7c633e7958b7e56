namespace Mail.Silo.Configuration;

/// <summary>
/// Mutual TLS on the cluster's connections (silo to silo, frontend to gateway), bound from "Mail:Cluster:Tls". Both ends
/// present a certificate and accept the other's only by these rules, never by a public CA: a certificate whose hash is
/// listed, or one issued by the configured CA, or, when neither is set, the very certificate this process presents (the
/// cluster shares one).
/// </summary>
public sealed class ClusterTlsSettings
{
    /// <summary>Turn mutual TLS on; required when the cluster listens on anything but loopback.</summary>
    public bool Enabled { get; set; }

    /// <summary>PKCS#12 file (empty password) this process presents; defaults to the mail protocols' Mail:Tls:CertificatePath.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>SHA-256 (64 hex digits) or SHA-1 (40) hashes of the peer certificates to admit.</summary>
    public string[] AllowedThumbprints { get; set; } = [];

    /// <summary>PEM file of the CA certificates whose issued certificates are admitted (use a CA dedicated to the cluster).</summary>
    public string? CaCertificatePath { get; set; }
}
